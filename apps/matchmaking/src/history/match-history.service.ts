import { Injectable } from '@nestjs/common';
import { isTeamFormat } from '@app/core';
import { MatchPlayerRecord, MatchRecord } from '@app/persistence';
import { invalid, notFound } from '../common/problem';
import { TeamMatchesRepository } from '../matches/team-matches.repository';
import { HISTORY_DEFAULT_LIMIT, MatchPageDto, MatchSummaryDto } from './match-history.dto';
import { MatchHistoryRepository } from './match-history.repository';
import { presentMatch } from './match.presenter';

/** A player's own matches: newest first, in pages that neither repeat nor skip while new ones arrive. */
@Injectable()
export class MatchHistoryService {
  constructor(
    private readonly history: MatchHistoryRepository,
    private readonly teamMatches: TeamMatchesRepository,
  ) {}

  async get(tenantId: string, userId: string, matchId: string): Promise<MatchSummaryDto> {
    const match = await this.history.findForPlayer(tenantId, userId, matchId);
    if (!match) throw notFound('match');
    const players = await this.playersOf([match]);
    return presentMatch(match, userId, players.get(match.id));
  }

  async page(tenantId: string, userId: string, before?: string, limit = HISTORY_DEFAULT_LIMIT): Promise<MatchPageDto> {
    if (before !== undefined && !(await this.history.findForPlayer(tenantId, userId, before))) {
      throw invalid('before', 'must be the match_id of one of your matches');
    }
    // One row more than asked tells whether a next page exists.
    const rows = await this.history.page(tenantId, userId, before ?? null, limit + 1);
    const page = rows.slice(0, limit);
    const players = await this.playersOf(page);
    return {
      matches: page.map((m) => presentMatch(m, userId, players.get(m.id))),
      next_before: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  /** One read for the players of the page's team matches; none when the page has only 1v1 matches. */
  private async playersOf(matches: MatchRecord[]): Promise<Map<string, MatchPlayerRecord[]>> {
    return this.teamMatches.playersOf(matches.filter((m) => isTeamFormat(m.format)).map((m) => m.id));
  }
}
