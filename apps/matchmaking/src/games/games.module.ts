import { Module } from '@nestjs/common';
import { MatchesModule } from '../matching/matches.module';
import { GamesController } from './games.controller';
import { GamesService } from './games.service';

@Module({ imports: [MatchesModule], controllers: [GamesController], providers: [GamesService], exports: [GamesService] })
export class GamesModule {}
