import { Module } from '@nestjs/common';
import { InternalPlayersController, LeaderboardController, PlayersController } from './players.controller';
import { PlayersRepository } from './players.repository';
import { PlayersService } from './players.service';

@Module({
  controllers: [PlayersController, LeaderboardController, InternalPlayersController],
  providers: [PlayersRepository, PlayersService],
  exports: [PlayersRepository, PlayersService],
})
export class PlayersModule {}
