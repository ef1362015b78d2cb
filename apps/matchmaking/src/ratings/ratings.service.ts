import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { Glicko2Rating, rateGame, ratingAt, WhiteScore } from '@app/core/ratings';
import { GameResult, MatchRecord, Sql } from '@app/persistence';
import { LockedRating, RatingsRepository } from './ratings.repository';

export interface RatingState extends Glicko2Rating {
  games: number;
}

export interface PlayerRatingChange {
  userId: string;
  before: RatingState;
  after: RatingState;
}

export interface RatingChanges {
  category: string;
  white: PlayerRatingChange;
  black: PlayerRatingChange;
}

const WHITE_SCORE: Partial<Record<GameResult, WhiteScore>> = { white: 1, draw: 0.5, black: 0 };

@Injectable()
export class RatingsService {
  constructor(
    private readonly ratings: RatingsRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Applies a just-recorded result to both players' ratings in the match's category, inside the
   * transaction that recorded it. Aborted and casual games change nothing (null). "Before" is the
   * rating as every read shows it, aged by the rating periods the player sat out since their last
   * rated game; the game is rated from there, and only now is the aged deviation stored.
   */
  async applyResult(match: MatchRecord, tx: Sql): Promise<RatingChanges | null> {
    const score = match.result ? WHITE_SCORE[match.result] : undefined;
    if (score === undefined || match.mode !== 'rated') return null;
    const { tenantId, category } = match;
    const locked = await this.ratings.lockForGame(tx, tenantId, category, [
      { userId: match.whiteUserId, username: match.whiteUsername },
      { userId: match.blackUserId, username: match.blackUsername },
    ]);
    const now = new Date();
    const aged = (r: LockedRating): LockedRating => ({
      ...r,
      ...ratingAt(r, r.ratedAt, now, this.config.ratingPeriodDays),
    });
    const white = aged(locked.get(match.whiteUserId)!);
    const black = aged(locked.get(match.blackUserId)!);
    const next = rateGame(white, black, score);
    const change = async (
      before: RatingState & { userId: string },
      after: Glicko2Rating,
    ): Promise<PlayerRatingChange> => {
      const games = await this.ratings.saveGame(tx, tenantId, category, before.userId, after);
      const { userId, rating, deviation, volatility } = before;
      return { userId, before: { rating, deviation, volatility, games: before.games }, after: { ...after, games } };
    };
    return { category, white: await change(white, next.white), black: await change(black, next.black) };
  }
}
