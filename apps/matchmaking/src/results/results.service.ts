import { Injectable } from '@nestjs/common';
import { isTeamFormat } from '@app/core';
import { Database, GameResult, MatchRecord, Sql } from '@app/persistence';
import { invalid, notFound } from '../common/problem';
import { PlayerRatingChange, RatingChanges, RatingsService, RatingState } from '../ratings/ratings.service';
import { TeamRatingChanges, TeamRatingsService } from '../ratings/team-ratings.service';
import { PartyEventsService } from '../events/party-events.service';
import { TeamMatchesRepository } from '../matches/team-matches.repository';
import { PartiesRepository } from '../parties/parties.repository';
import { GameResultDto, RatingChangesDto, RatingStateDto, TeamRatingChangesDto } from './results.dto';
import { resultKind, ResultsRepository } from './results.repository';

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

/** 400 for `a`/`b` on a 1v1 game and `white`/`black` on a team game, naming the field. */
function checkKind(match: MatchRecord, result: GameResult): void {
  const kind = resultKind(result);
  const team = isTeamFormat(match.format);
  if (kind === '1v1' && team) throw invalid('result', 'a team game ends a, b, draw or aborted');
  if (kind === 'team' && !team) throw invalid('result', 'a 1v1 game ends white, black, draw or aborted');
}

@Injectable()
export class ResultsService {
  constructor(
    private readonly db: Database,
    private readonly results: ResultsRepository,
    private readonly ratings: RatingsService,
    private readonly teamRatings: TeamRatingsService,
    private readonly teamMatches: TeamMatchesRepository,
    private readonly parties: PartiesRepository,
    private readonly partyEvents: PartyEventsService,
  ) {}

  /**
   * The first result wins; a repeat is a no-op. Ratings change in the transaction that records the
   * result, so a result is never stored without its rating update, nor applied twice.
   */
  async record(gameId: string, tenantId: string | null, result: GameResult): Promise<GameResultDto> {
    const outcome = await this.db.transaction(async (tx) => {
      const recorded = await this.results.recordResult(gameId, tenantId, result, tx);
      if (!recorded) return null;
      checkKind(recorded.match, result);
      const ratings = recorded.recorded ? await this.rate(recorded.match, tx) : null;
      const parties =
        recorded.recorded && isTeamFormat(recorded.match.format) ? await this.freeParties(recorded.match, tx) : [];
      return { ...recorded, ratings, parties };
    });
    if (!outcome) throw notFound('game');
    const { match, recorded, ratings, parties } = outcome;
    await this.partyEvents.publish(parties);
    return {
      game_id: gameId,
      match_id: match.id,
      tenant_id: match.tenantId,
      result: match.result!,
      recorded,
      ratings: ratings && ('players' in ratings ? presentTeam(ratings) : present(ratings)),
    };
  }

  /** A team game's parties are IN_GAME until its result; then OPEN again (SPEC §12). */
  private async freeParties(match: MatchRecord, tx: Sql): Promise<string[]> {
    const players = (await this.teamMatches.playersOf([match.id], tx)).get(match.id) ?? [];
    const tickets = players.map((p) => p.queueEntryId).filter((id): id is string => id !== null);
    return this.parties.gameFinished(tx, [...new Set(tickets)]);
  }

  private async rate(match: MatchRecord, tx: Sql): Promise<RatingChanges | TeamRatingChanges | null> {
    if (isTeamFormat(match.format)) return this.teamRatings.applyResult(match, tx);
    const ratings = await this.ratings.applyResult(match, tx);
    if (ratings) {
      const pair = (c: PlayerRatingChange) => ({ before: c.before.rating, after: c.after.rating });
      await this.results.storeRatings(tx, match.id, pair(ratings.white), pair(ratings.black));
    }
    return ratings;
  }
}

const state = (s: RatingState): RatingStateDto => ({
  rating: round(s.rating),
  deviation: round(s.deviation, 1),
  games: s.games,
});

function present(changes: RatingChanges): RatingChangesDto {
  const side = (c: PlayerRatingChange) => ({ user_id: c.userId, before: state(c.before), after: state(c.after) });
  return { category: changes.category, white: side(changes.white), black: side(changes.black) };
}

function presentTeam(changes: TeamRatingChanges): TeamRatingChangesDto {
  return {
    category: changes.category,
    players: changes.players.map((c) => ({
      user_id: c.userId,
      team: c.team,
      before: state(c.before),
      after: state(c.after),
    })),
  };
}
