import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { QueueDepthRepository } from './queue-depth.repository';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, QueueDepthRepository],
  exports: [MetricsService],
})
export class MetricsModule {}
