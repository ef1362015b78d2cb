import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { knownCategories } from '@app/core';
import { DEFAULT_DEVIATION, DEFAULT_RATING } from '@app/persistence';
import { invalid, notFound } from '../common/problem';
import {
  CategoryRating,
  CategoryRatingWithName,
  Leaderboard,
  LEADERBOARD_DEFAULT_CATEGORY,
  LEADERBOARD_DEFAULT_LIMIT,
  PlayerProfile,
} from './players.dto';
import { PlayersRepository } from './players.repository';

const round = (n: number, digits = 0) => Number(Number(n).toFixed(digits));

@Injectable()
export class PlayersService {
  private readonly categories: string[];

  constructor(
    private readonly players: PlayersRepository,
    config: AppConfig,
  ) {
    this.categories = knownCategories(config.variants);
  }

  async profile(tenantId: string, userId: string): Promise<PlayerProfile> {
    const ratings: Record<string, CategoryRating> = {};
    for (const category of this.categories)
      ratings[category] = { rating: DEFAULT_RATING, deviation: DEFAULT_DEVIATION, games: 0 };
    for (const r of await this.players.ratingsOf(tenantId, userId)) {
      ratings[r.category] = { rating: round(r.rating), deviation: round(r.deviation, 1), games: r.games };
    }
    return { user_id: userId, tenant_id: tenantId, ratings };
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
    return {
      user_id: userId,
      tenant_id: tenantId,
      category,
      rating: round(r.rating),
      deviation: round(r.deviation, 1),
      games: r.games,
    };
  }

  async leaderboard(
    tenantId: string,
    category = LEADERBOARD_DEFAULT_CATEGORY,
    limit = LEADERBOARD_DEFAULT_LIMIT,
  ): Promise<Leaderboard> {
    if (!this.categories.includes(category)) throw invalid('category', `must be one of ${this.categories.join(', ')}`);
    const rows = await this.players.leaderboard(tenantId, category, limit);
    return {
      category,
      players: rows.map((r) => ({
        user_id: r.user_id,
        username: r.username,
        rating: round(r.rating),
        deviation: round(r.deviation, 1),
        games: r.games,
      })),
    };
  }
}
