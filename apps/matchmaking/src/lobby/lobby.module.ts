import { Module } from '@nestjs/common';
import { LobbyCacheRepository } from './lobby-cache.repository';
import { LobbyController } from './lobby.controller';
import { LobbyService } from './lobby.service';
import { PoolWaitsRepository } from './pool-waits.repository';

/** The lobby view of the pools: written by the ticks, read by players. */
@Module({
  controllers: [LobbyController],
  providers: [LobbyCacheRepository, PoolWaitsRepository, LobbyService],
  exports: [LobbyService],
})
export class LobbyModule {}
