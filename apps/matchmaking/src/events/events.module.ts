import { Global, Module } from '@nestjs/common';
import { EntryEventsService } from './entry-events.service';
import { PartyEventsService } from './party-events.service';
import { StreamSlotsService } from './stream-slots.service';

@Global()
@Module({
  providers: [EntryEventsService, PartyEventsService, StreamSlotsService],
  exports: [EntryEventsService, PartyEventsService, StreamSlotsService],
})
export class EventsModule {}
