import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { PartiesController } from './parties.controller';
import { PartiesRepository } from './parties.repository';
import { PartiesService } from './parties.service';
import { PartyEventsController } from './party-events.controller';

@Module({
  imports: [QueueModule],
  controllers: [PartiesController, PartyEventsController],
  providers: [PartiesRepository, PartiesService],
  exports: [PartiesService, PartiesRepository],
})
export class PartiesModule {}
