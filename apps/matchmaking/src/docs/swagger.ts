import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HealthProblemDto } from '../health/health.controller';
import { CategoryRating } from '../players/players.dto';
import { ProblemDto } from './api-problems';
import { strictNullable } from './strict-nullable';

export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Matchmaking')
    .setDescription(
      'Rated 1v1 matchmaking: queues, direct challenges, exactly-once game creation. Errors are RFC 9457 ' +
        'problem details (application/problem+json) with a stable `code`; every response carries x-request-id.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when set' }, 'metrics')
    .build();
  // Models only reached through a hand-written $ref must be registered here, or the $ref dangles.
  const document = strictNullable(
    SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto, HealthProblemDto, CategoryRating] }),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
