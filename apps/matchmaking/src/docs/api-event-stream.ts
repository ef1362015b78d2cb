import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ApiProblems } from './api-problems';

/** The documentation every server-sent event stream shares: its summary, `?access_token=`, the media type, errors. */
export function ApiEventStream(summary: string, description: string, of: string) {
  return applyDecorators(
    ApiOperation({ summary, description }),
    ApiQuery({ name: 'access_token', required: false, description: 'the bearer token, for EventSource clients' }),
    ApiOkResponse({
      description: `text/event-stream of ${of}`,
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    }),
    ApiProblems(401, 404, 429, 503),
  );
}
