import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { SweepProcessor } from './sweep.processor';

@Module({
  imports: [QueueModule],
  providers: [SweepProcessor],
})
export class MaintenanceModule {}
