import { Injectable } from '@nestjs/common';
import { rateTeamGame, TeamOutcome, TeamRating } from '@app/core/ratings';
import { MatchPlayerRecord, MatchRecord, Sql, TeamName } from '@app/persistence';
import { TeamMatchesRepository } from '../matches/team-matches.repository';
import { LockedRating, RatingsRepository } from './ratings.repository';
import { RatingState } from './ratings.service';

export interface TeamPlayerRatingChange {
  userId: string;
  team: TeamName;
  before: RatingState;
  after: RatingState;
}

export interface TeamRatingChanges {
  category: string;
  players: TeamPlayerRatingChange[];
}

const OUTCOMES: Partial<Record<string, TeamOutcome>> = { a: 'a', b: 'b', draw: 'draw' };

/**
 * OpenSkill team ratings from team game results, stored in `player_ratings` under the match's
 * `team_<category>` on the 1500 scale (docs/teams.md): a missing row starts at 1500 ± 350, which is
 * OpenSkill's newcomer, and the volatility column is left as it is (Glicko-2 only). Team ratings do
 * not age with inactivity: OpenSkill has no rating periods.
 */
@Injectable()
export class TeamRatingsService {
  constructor(
    private readonly ratings: RatingsRepository,
    private readonly teamMatches: TeamMatchesRepository,
  ) {}

  /**
   * Moves every player's rating in the transaction that recorded the result; aborted and casual games
   * change nothing (null). Rows are locked in user_id order, like a 1v1 game's two.
   */
  async applyResult(match: MatchRecord, tx: Sql): Promise<TeamRatingChanges | null> {
    const outcome = match.result ? OUTCOMES[match.result] : undefined;
    if (outcome === undefined || match.mode !== 'rated') return null;
    const { tenantId, category } = match;
    const players = (await this.teamMatches.playersOf([match.id], tx)).get(match.id) ?? [];
    const locked = await this.ratings.lockForGame(tx, tenantId, category, players);
    const side = (team: TeamName) => players.filter((p) => p.team === team);
    const current = (ps: MatchPlayerRecord[]) => ps.map((p) => locked.get(p.userId)!);
    const next = rateTeamGame(current(side('a')), current(side('b')), outcome);
    const changes: TeamPlayerRatingChange[] = [];
    for (const [team, after] of [
      ['a', next.a],
      ['b', next.b],
    ] as const) {
      for (const [i, p] of side(team).entries()) {
        changes.push(await this.save(tx, match, team, locked.get(p.userId)!, after[i]));
      }
    }
    await this.teamMatches.storeRatings(
      tx,
      match.id,
      changes.map((c) => ({ userId: c.userId, before: c.before.rating, after: c.after.rating })),
    );
    return { category, players: changes };
  }

  private async save(
    tx: Sql,
    match: MatchRecord,
    team: TeamName,
    before: LockedRating,
    after: TeamRating,
  ): Promise<TeamPlayerRatingChange> {
    const volatility = before.volatility;
    const games = await this.ratings.saveGame(tx, match.tenantId, match.category, before.userId, {
      ...after,
      volatility,
    });
    return {
      userId: before.userId,
      team,
      before: { rating: before.rating, deviation: before.deviation, volatility, games: before.games },
      after: { ...after, volatility, games },
    };
  }
}
