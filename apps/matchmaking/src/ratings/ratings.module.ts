import { Module } from '@nestjs/common';
import { MatchesModule } from '../matches/matches.module';
import { RatingsRepository } from './ratings.repository';
import { RatingsService } from './ratings.service';
import { TeamRatingsService } from './team-ratings.service';

/** Glicko-2 (1v1) and OpenSkill (team) ratings from game results, applied inside the result transaction. */
@Module({
  imports: [MatchesModule],
  providers: [RatingsRepository, RatingsService, TeamRatingsService],
  exports: [RatingsService, TeamRatingsService],
})
export class RatingsModule {}
