import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependenciesRepository } from './dependencies.repository';
import { HealthController } from './health.controller';
import { HealthMetrics } from './health.metrics';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController],
  providers: [DependenciesRepository, HealthMetrics],
})
export class HealthModule {}
