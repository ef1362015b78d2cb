import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GameResult } from '@app/persistence';
import { notFound } from '../common/problem';
import { MatchesRepository } from '../matching/matches.repository';
import { GameResultDto } from './games.dto';

@Injectable()
export class GamesService {
  constructor(private readonly db: DataSource, private readonly matches: MatchesRepository) {}

  /** The first result wins; a repeat is a no-op. */
  async recordResult(gameId: string, tenantId: string | null, result: GameResult): Promise<GameResultDto> {
    const outcome = await this.db.transaction((tx) => this.matches.recordResult(gameId, tenantId, result, tx));
    if (!outcome) throw notFound('game');
    const { match, recorded } = outcome;
    return { game_id: gameId, match_id: match.id, tenant_id: match.tenantId, result: match.result!, recorded };
  }
}
