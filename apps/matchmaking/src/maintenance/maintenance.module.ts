import { Module } from '@nestjs/common';
import { GameCreationModule } from '../game-creation/game-creation.module';
import { MatchesModule } from '../matching/matches.module';
import { QueueModule } from '../queue/queue.module';
import { SweepProcessor } from './sweep.processor';

@Module({
  imports: [QueueModule, MatchesModule, GameCreationModule],
  providers: [SweepProcessor],
})
export class MaintenanceModule {}
