import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { isTeamFormat, knownCategories } from '@app/core';
import { isTeamCategory, ratingAt } from '@app/core/ratings';
import { DEFAULT_DEVIATION, DEFAULT_RATING, PlayerRatingRecord } from '@app/persistence';
import { invalid, notFound } from '../common/problem';
import {
  CategoryRating,
  CategoryRatingWithName,
  Leaderboard,
  LEADERBOARD_DEFAULT_CATEGORY,
  LEADERBOARD_DEFAULT_LIMIT,
  PlayerProfile,
  PublicProfile,
} from './players.dto';
import { PlayersRepository } from './players.repository';

const round = (n: number, digits = 0) => Number(Number(n).toFixed(digits));

@Injectable()
export class PlayersService {
  private readonly categories: string[];
  private readonly periodDays: number;

  constructor(
    private readonly players: PlayersRepository,
    config: AppConfig,
  ) {
    // FORMATS allows 2v2 by default (SPEC §3, §12), so the team categories are listed beside the 1v1 ones.
    this.categories = knownCategories(config.variants, config.formats.some(isTeamFormat));
    this.periodDays = config.ratingPeriodDays;
  }

  async profile(tenantId: string, userId: string): Promise<PlayerProfile> {
    return { user_id: userId, tenant_id: tenantId, ratings: await this.ratingsOf(tenantId, userId) };
  }

  /** Another player of the caller's tenant; one the tenant never saw is not found. */
  async publicProfile(tenantId: string, userId: string): Promise<PublicProfile> {
    const known = await this.players.findKnown(tenantId, userId);
    if (!known) throw notFound('player');
    return { user_id: userId, username: known.username, ratings: await this.ratingsOf(tenantId, userId) };
  }

  async importRating(
    tenantId: string,
    userId: string,
    category: string,
    rating: number,
    deviation?: number,
  ): Promise<CategoryRatingWithName> {
    if (!this.categories.includes(category)) throw notFound(`rating category '${category}'`);
    const r = await this.players.setRating(tenantId, userId, category, rating, deviation);
    return { user_id: userId, tenant_id: tenantId, category, ...this.present(r, new Date()) };
  }

  async leaderboard(
    tenantId: string,
    category = LEADERBOARD_DEFAULT_CATEGORY,
    limit = LEADERBOARD_DEFAULT_LIMIT,
    offset = 0,
  ): Promise<Leaderboard> {
    if (!this.categories.includes(category)) throw invalid('category', `must be one of ${this.categories.join(', ')}`);
    // One row more than asked tells whether a next page exists without a count.
    const rows = await this.players.leaderboard(tenantId, category, offset, limit + 1);
    const page = rows.slice(0, limit);
    const now = new Date();
    return {
      category,
      players: page.map((r) => ({ user_id: r.userId, username: r.username, ...this.present(r, now) })),
      next_offset: rows.length > limit ? offset + limit : null,
    };
  }

  private async ratingsOf(tenantId: string, userId: string): Promise<Record<string, CategoryRating>> {
    const ratings: Record<string, CategoryRating> = {};
    for (const category of this.categories)
      ratings[category] = { rating: DEFAULT_RATING, deviation: DEFAULT_DEVIATION, games: 0 };
    const now = new Date();
    for (const r of await this.players.ratingsOf(tenantId, userId)) ratings[r.category] = this.present(r, now);
    return ratings;
  }

  /**
   * Glicko-2 inactivity is applied on every read and stored only when a game is rated; a team rating
   * (OpenSkill, which has no rating periods) is shown as stored.
   */
  private present(r: PlayerRatingRecord, now: Date): CategoryRating {
    const current = isTeamCategory(r.category) ? r : ratingAt(r, r.ratedAt, now, this.periodDays);
    return { rating: round(current.rating), deviation: round(current.deviation, 1), games: r.games };
  }
}
