import { Module } from '@nestjs/common';
import { GameCreationModule } from '../game-creation/game-creation.module';
import { MatchesModule } from './matches.module';
import { MatchingTickProcessor } from './matching-tick.processor';
import { MatchingService } from './matching.service';
import { ReconcileService } from './reconcile.service';

/** Worker side of matching: the per-pool ticks and the reconcile timer. */
@Module({
  imports: [MatchesModule, GameCreationModule],
  providers: [MatchingService, MatchingTickProcessor, ReconcileService],
  exports: [MatchingService],
})
export class MatchingWorkerModule {}
