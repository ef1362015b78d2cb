import { Injectable } from '@nestjs/common';
import { Database, GameResult } from '@app/persistence';
import { notFound } from '../common/problem';
import { PlayerRatingChange, RatingChanges, RatingsService } from '../ratings/ratings.service';
import { GameResultDto, PlayerRatingChangeDto, RatingChangesDto } from './results.dto';
import { ResultsRepository } from './results.repository';

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

@Injectable()
export class ResultsService {
  constructor(
    private readonly db: Database,
    private readonly results: ResultsRepository,
    private readonly ratings: RatingsService,
  ) {}

  /**
   * The first result wins; a repeat is a no-op. Ratings change in the transaction that records the
   * result, so a result is never stored without its rating update, nor applied twice.
   */
  async record(gameId: string, tenantId: string | null, result: GameResult): Promise<GameResultDto> {
    const outcome = await this.db.transaction(async (tx) => {
      const recorded = await this.results.recordResult(gameId, tenantId, result, tx);
      if (!recorded) return null;
      const ratings = recorded.recorded ? await this.ratings.applyResult(recorded.match, tx) : null;
      if (ratings) {
        const pair = (c: PlayerRatingChange) => ({ before: c.before.rating, after: c.after.rating });
        await this.results.storeRatings(tx, recorded.match.id, pair(ratings.white), pair(ratings.black));
      }
      return { ...recorded, ratings };
    });
    if (!outcome) throw notFound('game');
    const { match, recorded, ratings } = outcome;
    return {
      game_id: gameId,
      match_id: match.id,
      tenant_id: match.tenantId,
      result: match.result!,
      recorded,
      ratings: ratings && present(ratings),
    };
  }
}

function present(changes: RatingChanges): RatingChangesDto {
  const side = (c: PlayerRatingChange): PlayerRatingChangeDto => ({
    user_id: c.userId,
    before: { rating: round(c.before.rating), deviation: round(c.before.deviation, 1), games: c.before.games },
    after: { rating: round(c.after.rating), deviation: round(c.after.deviation, 1), games: c.after.games },
  });
  return { category: changes.category, white: side(changes.white), black: side(changes.black) };
}
