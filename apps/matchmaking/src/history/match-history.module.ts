import { Module } from '@nestjs/common';
import { MatchesModule } from '../matches/matches.module';
import { MatchHistoryController } from './match-history.controller';
import { MatchHistoryRepository } from './match-history.repository';
import { MatchHistoryService } from './match-history.service';

/** A player's own matches: the history pages and one match's details. */
@Module({
  imports: [MatchesModule],
  controllers: [MatchHistoryController],
  providers: [MatchHistoryRepository, MatchHistoryService],
})
export class MatchHistoryModule {}
