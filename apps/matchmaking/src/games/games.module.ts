import { Module } from '@nestjs/common';
import { MatchesModule } from '../matching/matches.module';
import { RatingsModule } from '../ratings/ratings.module';
import { GamesController } from './games.controller';
import { GamesService } from './games.service';

@Module({
  imports: [MatchesModule, RatingsModule],
  controllers: [GamesController],
  providers: [GamesService],
  exports: [GamesService],
})
export class GamesModule {}
