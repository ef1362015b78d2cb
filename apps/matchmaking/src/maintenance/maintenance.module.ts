import { Module } from '@nestjs/common';
import { ChallengesModule } from '../challenges/challenges.module';
import { GameCreationModule } from '../game-creation/game-creation.module';
import { QueueModule } from '../queue/queue.module';
import { SweepProcessor } from './sweep.processor';

/** The periodic sweep (worker side). */
@Module({
  imports: [QueueModule, GameCreationModule, ChallengesModule],
  providers: [SweepProcessor],
})
export class MaintenanceModule {}
