import { EventEmitter } from 'events';
import { IncomingMessage, ServerResponse } from 'http';
import { AppConfig } from '@app/config';
import { appLogger } from './logging.module';
import { logRequest } from './request-log';

/** One closed request through logRequest with a logger at `level`; the JSON lines it wrote. */
function logOf(level: string, statusCode: number, url = '/v1/matchmaking/queue/q_1?access_token=secret'): unknown[] {
  const lines: string[] = [];
  const logger = appLogger({ logLevel: level, nodeEnv: 'production' } as AppConfig, {
    write: (line: string) => void lines.push(line),
  });
  const req = Object.assign(new EventEmitter(), {
    id: 'req-1',
    method: 'GET',
    url,
    originalUrl: url,
    headers: { authorization: 'Bearer secret' },
    socket: {},
  });
  const res = { statusCode, headersSent: true };
  logRequest(logger, req as unknown as IncomingMessage, res as unknown as ServerResponse, performance.now());
  return lines.map((l) => JSON.parse(l));
}

describe('request log', () => {
  it('writes one line per refused request at info, with its id, method, redacted url and status', () => {
    const [line, ...more] = logOf('info', 404);
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 30,
      req: { request_id: 'req-1', method: 'GET', url: '/v1/matchmaking/queue/q_1?access_token=[Redacted]' },
      res: { status: 404 },
      msg: 'request completed',
    });
    expect(typeof (line as { responseTime: unknown }).responseTime).toBe('number');
    expect(JSON.stringify(line)).not.toContain('secret');
  });

  it('logs answered requests at debug only', () => {
    expect(logOf('info', 200)).toEqual([]);
    expect(logOf('debug', 200)).toMatchObject([{ level: 20, res: { status: 200 }, msg: 'request completed' }]);
  });

  it('logs a 5xx as an error, with what failed', () => {
    expect(logOf('warn', 503)).toMatchObject([
      { level: 50, res: { status: 503 }, err: { message: 'failed with status code 503' }, msg: 'request errored' },
    ]);
  });
});
