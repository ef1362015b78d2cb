import { Global, Module } from '@nestjs/common';
import { EntryEventsService } from './entry-events.service';

@Global()
@Module({ providers: [EntryEventsService], exports: [EntryEventsService] })
export class EventsModule {}
