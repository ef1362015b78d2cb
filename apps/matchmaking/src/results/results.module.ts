import { Module } from '@nestjs/common';
import { MatchesModule } from '../matches/matches.module';
import { PartiesModule } from '../parties/parties.module';
import { RatingsModule } from '../ratings/ratings.module';
import { ResultsController } from './results.controller';
import { ResultsRepository } from './results.repository';
import { ResultsService } from './results.service';

/** Game results from the live-game API, and the rating update they carry, in one transaction. */
@Module({
  imports: [RatingsModule, MatchesModule, PartiesModule],
  controllers: [ResultsController],
  providers: [ResultsRepository, ResultsService],
})
export class ResultsModule {}
