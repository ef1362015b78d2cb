import { CanActivate, Controller, ExecutionContext, Get, Header, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { AppConfig } from '@app/config';
import { apiKeyMatches } from '../auth/api-key';
import { bearerToken } from '../auth/bearer';
import { ProblemException } from '../common/problem';
import { ApiProblems } from '../docs/api-problems';
import { MetricsService } from './metrics.service';

/** With METRICS_TOKEN set, the scraper sends it as a bearer token (Prometheus `authorization`). */
@Injectable()
export class MetricsAuthGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.metricsToken) return true;
    const token = bearerToken(context.switchToHttp().getRequest<Request>().headers.authorization);
    if (token && apiKeyMatches(this.config.metricsToken, token)) return true;
    throw new ProblemException(401, 'UNAUTHORIZED', 'the metrics token is required');
  }
}

@ApiTags('operations')
@ApiBearerAuth('metrics')
@UseGuards(MetricsAuthGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics of this replica (api and worker replicas alike)',
    description:
      'Labels every tenant id, so it must not be public. With METRICS_TOKEN set it wants ' +
      '`Authorization: Bearer <METRICS_TOKEN>`; without, it is open and must be restricted at the network or ingress.',
  })
  @ApiProblems(401)
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
