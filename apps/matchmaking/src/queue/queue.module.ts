import { Module } from '@nestjs/common';
import { MatchesModule } from '../matches/matches.module';
import { PoolsModule } from '../pools/pools.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { JoinThrottlerGuard } from './join-throttler.guard';
import { QueueEventsController } from './queue-events.controller';
import { QueueController } from './queue.controller';
import { QueueRepository } from './queue.repository';
import { QueueService } from './queue.service';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

@Module({
  imports: [MatchesModule, PoolsModule, RateLimitModule],
  controllers: [QueueController, QueueEventsController],
  providers: [QueueRepository, QueueService, TicketsRepository, TicketsService, JoinThrottlerGuard],
  exports: [QueueRepository, QueueService],
})
export class QueueModule {}
