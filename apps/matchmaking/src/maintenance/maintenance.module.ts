import { Module } from '@nestjs/common';
import { ChallengesModule } from '../challenges/challenges.module';
import { GameCreationModule } from '../game-creation/game-creation.module';
import { MatchesModule } from '../matching/matches.module';
import { QueueModule } from '../queue/queue.module';
import { SweepProcessor } from './sweep.processor';

@Module({
  imports: [QueueModule, MatchesModule, GameCreationModule, ChallengesModule],
  providers: [SweepProcessor],
})
export class MaintenanceModule {}
