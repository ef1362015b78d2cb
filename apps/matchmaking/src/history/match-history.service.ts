import { Injectable } from '@nestjs/common';
import { invalid, notFound } from '../common/problem';
import { HISTORY_DEFAULT_LIMIT, MatchPageDto, MatchSummaryDto } from './match-history.dto';
import { MatchHistoryRepository } from './match-history.repository';
import { presentMatch } from './match.presenter';

/** A player's own matches: newest first, in pages that neither repeat nor skip while new ones arrive. */
@Injectable()
export class MatchHistoryService {
  constructor(private readonly history: MatchHistoryRepository) {}

  async get(tenantId: string, userId: string, matchId: string): Promise<MatchSummaryDto> {
    const match = await this.history.findForPlayer(tenantId, userId, matchId);
    if (!match) throw notFound('match');
    return presentMatch(match, userId);
  }

  async page(tenantId: string, userId: string, before?: string, limit = HISTORY_DEFAULT_LIMIT): Promise<MatchPageDto> {
    if (before !== undefined && !(await this.history.findForPlayer(tenantId, userId, before))) {
      throw invalid('before', 'must be the match_id of one of your matches');
    }
    // One row more than asked tells whether a next page exists.
    const rows = await this.history.page(tenantId, userId, before ?? null, limit + 1);
    const page = rows.slice(0, limit);
    return {
      matches: page.map((m) => presentMatch(m, userId)),
      next_before: rows.length > limit ? page[page.length - 1].id : null,
    };
  }
}
