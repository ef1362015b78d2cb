import { Module } from '@nestjs/common';
import { GameCreationModule } from '../game-creation/game-creation.module';
import { MatchesModule } from '../matches/matches.module';
import { QueueModule } from '../queue/queue.module';
import { ChallengesController } from './challenges.controller';
import { ChallengeMatchesRepository } from './challenge-matches.repository';
import { ChallengesRepository } from './challenges.repository';
import { ChallengesService } from './challenges.service';
import { MatchSettledEvents } from './match-settled.events';

@Module({
  imports: [MatchesModule, QueueModule, GameCreationModule],
  controllers: [ChallengesController],
  providers: [ChallengesRepository, ChallengeMatchesRepository, ChallengesService, MatchSettledEvents],
  exports: [ChallengesService],
})
export class ChallengesModule {}
