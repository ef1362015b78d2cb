import { Module } from '@nestjs/common';
import { MatchesModule } from '../matching/matches.module';
import { GameCreationProcessor } from './game-creation.processor';
import { GameJobsService } from './game-jobs.service';
import { GameOutcomesService } from './game-outcomes.service';
import { LiveGameClient } from './live-game.client';

@Module({
  imports: [MatchesModule],
  providers: [GameJobsService, GameOutcomesService, LiveGameClient],
  exports: [GameJobsService, GameOutcomesService, LiveGameClient],
})
export class GameCreationModule {}

@Module({ imports: [MatchesModule, GameCreationModule], providers: [GameCreationProcessor] })
export class GameCreationWorkerModule {}
