import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiPropertyOptions,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { AppConfig } from '@app/config';
import { ProblemDto } from '../docs/api-problems';
import { DrainService } from '../lifecycle/drain.service';
import { DependenciesRepository } from './dependencies.repository';

const DEPENDENCIES: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
  example: { postgres: { status: 'up' }, redis: { status: 'up' } },
};

export class HealthReportDto {
  @ApiProperty({ enum: ['ok'] }) status: string;
  @ApiProperty(DEPENDENCIES) info: Record<string, { status: string }>;
  @ApiProperty(DEPENDENCIES) error: Record<string, { status: string }>;
  @ApiProperty(DEPENDENCIES) details: Record<string, { status: string }>;
}

/** A failed readiness check: problem details (MATCHMAKING_UNAVAILABLE) carrying Terminus' per-dependency report. */
export class HealthProblemDto extends ProblemDto {
  @ApiPropertyOptional(DEPENDENCIES) info?: Record<string, { status: string }>;
  @ApiPropertyOptional(DEPENDENCIES) error?: Record<string, { status: string }>;
  @ApiPropertyOptional(DEPENDENCIES) details?: Record<string, { status: string }>;
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
  ]);

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly dependencies: DependenciesRepository,
    private readonly config: AppConfig,
    private readonly drain: DrainService,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ type: HealthReportDto })
  @HealthCheck({ swaggerDocumentation: false })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'PostgreSQL and Redis answer (and, on workers, BullMQ); 503 from SIGTERM on' })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiResponse({
    status: 503,
    description: 'MATCHMAKING_UNAVAILABLE: a dependency is down; details per dependency',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/HealthProblemDto' } } },
  })
  @HealthCheck({ swaggerDocumentation: false })
  ready() {
    const checks = [
      () => this.shuttingDown(),
      () => this.db.pingCheck('postgres', { timeout: 1500 }),
      () => this.ping('redis', () => this.dependencies.pingRedis()),
    ];
    if (this.config.runsWorkers) {
      checks.push(() => this.ping('bullmq', () => this.dependencies.pingBullmq()));
    }
    return this.health.check(checks);
  }

  /** Down from the moment SIGTERM arrives, so the Service stops routing here before the drain. */
  private shuttingDown() {
    const indicator = this.indicators.check('shutdown');
    return this.drain.draining ? indicator.down({ message: 'SIGTERM received: draining' }) : indicator.up();
  }

  private async ping(key: string, call: () => Promise<unknown>) {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(call(), 1500);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
