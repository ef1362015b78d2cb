import { Module } from '@nestjs/common';
import { MatchesModule } from '../matches/matches.module';
import { PoolsModule } from '../pools/pools.module';
import { GameAttemptsRepository } from './game-attempts.repository';
import { GameCreationProcessor } from './game-creation.processor';
import { GameOutcomesService } from './game-outcomes.service';
import { LiveGameClient } from './live-game.client';

/** A match's game on the live-game API: attempts, and what follows once it exists or never can. */
@Module({
  imports: [PoolsModule],
  providers: [GameAttemptsRepository, GameOutcomesService, LiveGameClient],
  exports: [GameAttemptsRepository, GameOutcomesService, LiveGameClient],
})
export class GameCreationModule {}

/** The worker side: one BullMQ job per match. */
@Module({ imports: [GameCreationModule, MatchesModule], providers: [GameCreationProcessor] })
export class GameCreationWorkerModule {}
