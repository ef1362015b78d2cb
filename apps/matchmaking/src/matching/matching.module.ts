import { Module } from '@nestjs/common';
import { LobbyModule } from '../lobby/lobby.module';
import { MatchesModule } from '../matches/matches.module';
import { PoolsModule } from '../pools/pools.module';
import { MatchingTickProcessor } from './matching-tick.processor';
import { MatchingService } from './matching.service';
import { PairingRepository } from './pairing.repository';
import { SearchingPools } from './searching-pools';
import { ShardTickerService } from './shard-ticker.service';
import { TeamMatchingService } from './team-matching.service';
import { TeamPairingRepository } from './team-pairing.repository';
import { TickLockRepository } from './tick-lock.repository';
import { TickNudgesService } from './tick-nudges.service';

/** Worker side of matching: the shards' tick jobs, each ticking its pools. */
@Module({
  imports: [LobbyModule, MatchesModule, PoolsModule],
  providers: [
    MatchingService,
    MatchingTickProcessor,
    PairingRepository,
    SearchingPools,
    ShardTickerService,
    TeamMatchingService,
    TeamPairingRepository,
    TickLockRepository,
    TickNudgesService,
  ],
  exports: [MatchingService],
})
export class MatchingWorkerModule {}
