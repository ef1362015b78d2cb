import { Module } from '@nestjs/common';
import { GameCreationModule } from '../game-creation/game-creation.module';
import { MatchesModule } from '../matches/matches.module';
import { QueueModule } from '../queue/queue.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { ChallengeThrottlerGuard } from './challenge-throttler.guard';
import { ChallengesController } from './challenges.controller';
import { ChallengeMatchesRepository } from './challenge-matches.repository';
import { ChallengesRepository } from './challenges.repository';
import { ChallengesService } from './challenges.service';
import { MatchSettledEvents } from './match-settled.events';

@Module({
  imports: [MatchesModule, QueueModule, GameCreationModule, RateLimitModule],
  controllers: [ChallengesController],
  providers: [
    ChallengesRepository,
    ChallengeMatchesRepository,
    ChallengesService,
    MatchSettledEvents,
    ChallengeThrottlerGuard,
  ],
  exports: [ChallengesService],
})
export class ChallengesModule {}
