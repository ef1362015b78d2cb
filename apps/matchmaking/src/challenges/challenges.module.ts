import { Module } from '@nestjs/common';
import { GameCreationModule } from '../game-creation/game-creation.module';
import { MatchesModule } from '../matching/matches.module';
import { QueueModule } from '../queue/queue.module';
import { ChallengesController } from './challenges.controller';
import { ChallengesRepository } from './challenges.repository';
import { ChallengesService } from './challenges.service';
import { MatchSettledEvents } from './match-settled.events';

@Module({
  imports: [MatchesModule, QueueModule, GameCreationModule],
  controllers: [ChallengesController],
  providers: [ChallengesRepository, ChallengesService, MatchSettledEvents],
  exports: [ChallengesService],
})
export class ChallengesModule {}
