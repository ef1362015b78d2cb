import { Module } from '@nestjs/common';
import { ChallengesModule } from '../challenges/challenges.module';
import { GameCreationModule } from '../game-creation/game-creation.module';
import { PartiesModule } from '../parties/parties.module';
import { QueueModule } from '../queue/queue.module';
import { SweepProcessor } from './sweep.processor';

/** The periodic sweep (worker side). */
@Module({
  imports: [QueueModule, GameCreationModule, ChallengesModule, PartiesModule],
  providers: [SweepProcessor],
})
export class MaintenanceModule {}
