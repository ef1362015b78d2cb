import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import {
  chooseWhite,
  cooldownFromPairs,
  findTeamMatches,
  lineUp,
  MatchPolicy,
  parsePoolKey,
  TeamMatch,
  teamSize,
  Ticket,
} from '@app/core';
import { MatchRecord } from '@app/persistence';
import { EntryEventsService } from '../events/entry-events.service';
import { PartyEventsService } from '../events/party-events.service';
import { GameJobsRepository } from '../jobs/game-jobs.repository';
import type { PoolRef } from '../jobs/job-schedules.repository';
import { ColorHistory, MatchesRepository } from '../matches/matches.repository';
import { TeamMatchesRepository } from '../matches/team-matches.repository';
import { ClaimBudget } from './claim-budget';
import { SearchingPools } from './searching-pools';
import { PlannedTeamMatch, TeamPairingRepository, WaitingTicket } from './team-pairing.repository';

export interface TeamTickResult {
  tickets: number;
  /** every member of every ticket read */
  players: number;
  /** members of the tickets of the matches claimed */
  claimedPlayers: number;
  matches: number;
  created: MatchRecord[];
  matchMs: number;
}

/**
 * One tick of a team pool (SPEC §12): read the SEARCHING tickets with their members, let the team
 * matcher (libs/core/src/teams) build matches of whole tickets, line up boards and colours, claim every
 * ticket of a match atomically, and fan out game creation. Like a 1v1 tick it claims only what fits
 * MATCH_MAX_PAIRS_PER_TICK and MATCH_TICK_BUDGET_MS, longest waiters first, an NvN match counting as N
 * pairs (its 2N seats): a burst of 100,000 players took 22.7 s in one tick, 0.7 ms a 2v2 match claimed
 * (one statement a match then).
 */
@Injectable()
export class TeamMatchingService {
  private readonly logger = new Logger(TeamMatchingService.name);
  private readonly budget: ClaimBudget;

  constructor(
    private readonly pairing: TeamPairingRepository,
    private readonly searching: SearchingPools,
    private readonly teamMatches: TeamMatchesRepository,
    private readonly matches: MatchesRepository,
    private readonly games: GameJobsRepository,
    private readonly events: EntryEventsService,
    private readonly partyEvents: PartyEventsService,
    private readonly config: AppConfig,
  ) {
    this.budget = new ClaimBudget(config.matching.tickBudgetMs, config.matching.maxPairsPerTick);
  }

  async tick(pool: PoolRef, policy: MatchPolicy, random: () => number): Promise<TeamTickResult> {
    const started = performance.now();
    const size = teamSize(parsePoolKey(pool.poolKey)?.format ?? '') ?? 0;
    const { nowMs, tickets: rows } = await this.searching.readTeam(pool);
    const players = rows.reduce((n, r) => n + r.members.length, 0);
    const none = { tickets: rows.length, players, claimedPlayers: 0, matches: 0, created: [], matchMs: 0 };
    if (size < 1 || players < 2 * size) return none;

    const users = rows.flatMap((r) => r.members.map((m) => m.user_id));
    const recent = await this.teamMatches.recentOpponents(
      pool.tenantId,
      users,
      this.config.matching.rematchCooldownSeconds,
    );
    const matchStarted = performance.now();
    const all = findTeamMatches(rows.map(toTicket), size, nowMs, { ...policy, cooldown: cooldownFromPairs(recent) });
    const matchMs = performance.now() - matchStarted;
    if (!all.length) return { ...none, matchMs };
    // in the matcher's order, by each match's longest waiter: the first ones waited longest
    const fit = Math.max(1, Math.floor(this.budget.pairs(performance.now() - started) / size));
    const found = all.length <= fit ? all : all.slice(0, fit);

    const claimStarted = performance.now();
    const board1 = found.flatMap((m) => [topPlayer(m.a), topPlayer(m.b)]);
    const history = await this.matches.colorHistory(pool.tenantId, board1);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const planned = found.map((m) => this.plan(pool, m, byId, history, nowMs, random));
    const claimed = await this.pairing.claim(pool.tenantId, planned);
    const created = claimed.map((c) => c.match);
    await this.games.enqueue(created.map((m) => ({ matchId: m.id, requestId: m.requestId })));
    const tickets = claimed.flatMap((c) => c.ticketIds);
    await this.events.publish(tickets);
    const parties = tickets.map((id) => byId.get(id)?.party_id).filter((p): p is string => !!p);
    if (parties.length) await this.partyEvents.publish(parties);
    this.budget.observe(found.length * size, performance.now() - claimStarted);
    if (created.length) {
      this.logger.log(
        { tenant_id: pool.tenantId, pool_key: pool.poolKey, tickets: rows.length, matches: created.length },
        'team matches claimed',
      );
    }
    const claimedPlayers = claimed.length * 2 * size;
    return { tickets: rows.length, players, claimedPlayers, matches: found.length, created, matchMs };
  }

  private plan(
    pool: PoolRef,
    match: TeamMatch,
    byId: Map<string, WaitingTicket>,
    history: Map<string, ColorHistory>,
    nowMs: number,
    random: () => number,
  ): PlannedTeamMatch {
    const seen = (u: string) => ({ userId: u, recentWhites: history.get(u)?.whites ?? 0 });
    const aFirst = chooseWhite(seen(topPlayer(match.a)), seen(topPlayer(match.b)), random) === 'a';
    const tickets = [...match.a.tickets, ...match.b.tickets].map((t) => byId.get(t.id)!);
    const first = tickets[0];
    const names = new Map(tickets.flatMap((t) => t.members.map((m) => [m.user_id, m.username] as const)));
    const waits = new Map(tickets.map((t) => [t.id, Math.round(nowMs - t.enqueued_ms)]));
    const latest = tickets.reduce((x, y) => (y.enqueued_ms > x.enqueued_ms ? y : x));
    const regions = [...new Set(tickets.map((t) => t.region).filter((r): r is string => r !== null))];
    return {
      tenantId: pool.tenantId,
      poolKey: pool.poolKey,
      format: parsePoolKey(pool.poolKey)!.format,
      timeControl: first.time_control,
      mode: first.mode,
      variant: first.variant,
      category: first.category,
      region: regions.length === 1 ? regions[0] : (regions[0] ?? null),
      latestTicketId: latest.id,
      teams: lineUp(match, aFirst).map((team) => ({
        team: team.team,
        rating: team.rating,
        players: team.players.map((p) => ({
          ...p,
          username: names.get(p.userId) ?? null,
          waitMs: waits.get(p.ticketId) ?? 0,
        })),
      })),
    };
  }
}

function toTicket(r: WaitingTicket): Ticket {
  return {
    id: r.id,
    players: r.members.map((m) => ({ userId: m.user_id, rating: m.rating })),
    region: r.region,
    enqueuedAt: r.enqueued_ms,
  };
}

/** The board-1 player of a team: its highest rating (ties by user id), as lineUp seats it. */
function topPlayer(team: TeamMatch['a']): string {
  const players = team.tickets.flatMap((t) => t.players);
  players.sort((x, y) => y.rating - x.rating || (x.userId < y.userId ? -1 : x.userId > y.userId ? 1 : 0));
  return players[0].userId;
}
