import { Global, Module } from '@nestjs/common';
import { EntryEventsService } from './entry-events.service';
import { StreamSlotsService } from './stream-slots.service';

@Global()
@Module({ providers: [EntryEventsService, StreamSlotsService], exports: [EntryEventsService, StreamSlotsService] })
export class EventsModule {}
