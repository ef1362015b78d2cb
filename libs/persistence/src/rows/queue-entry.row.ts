import type { PoolFields } from './pool-fields';

export type QueueStatus = 'SEARCHING' | 'MATCHING' | 'MATCHED' | 'CANCELLED' | 'TIMED_OUT';

export interface OpponentSnapshot {
  user_id: string;
  username: string | null;
  rating_snapshot: { time_control: string; mode: string; rating: number };
}

/** A team ticket's match as every member sees it (SPEC §12), read with the entry; null until it is paired. */
export interface TicketMatch {
  match_id: string;
  game_id: string | null;
  format: string;
  teams: Array<{
    team: 'a' | 'b';
    rating: number;
    players: Array<{ user_id: string; username: string | null; rating: number; board: number; color: string }>;
  }>;
}

/** A player of a ticket, with the rating they joined with. */
export interface TicketMember {
  user_id: string;
  username: string | null;
  rating: number;
}

export interface QueueEntry extends PoolFields {
  id: string;
  tenantId: string;
  userId: string;
  username: string | null;
  rating: number;
  status: QueueStatus;
  enqueuedAt: Date;
  expiresAt: Date;
  estimatedWaitSeconds: number;
  matchId: string | null;
  gameId: string | null;
  color: 'white' | 'black' | null;
  opponent: OpponentSnapshot | null;
  endedReason: string | null;
  endedAt: Date | null;
  requestId: string | null;
  /** `1v1`, or a team format: then the entry is a ticket of 1..N players. */
  format: string;
  /** The party a team ticket stands for; null for 1v1 entries and solo tickets. */
  partyId: string | null;
  /** A team ticket's players, the leader (user_id) first; null for a 1v1 entry. */
  members: TicketMember[] | null;
  /** A team ticket's match; null for a 1v1 entry (its opponent and colour say it) and before pairing. */
  teamMatch: TicketMatch | null;
}

/** A `queue_entries` row (QUEUE_ENTRY_COLUMNS) as the service reads it. */
export function toQueueEntry(row: Record<string, any>): QueueEntry {
  return Object.assign(toQueueEntryView(row), {
    username: row.username,
    category: row.category,
    endedAt: row.ended_at,
    requestId: row.request_id,
  });
}

/** What a client is shown of an entry (presentQueueEntry); the owner's status read selects only this. */
export type QueueEntryView = Omit<QueueEntry, 'username' | 'category' | 'endedAt' | 'requestId'>;

/** A row's QueueEntryView; QUEUE_ENTRY_VIEW_JSON_COLUMNS has no members and no team match (a 1v1 entry's are null). */
export function toQueueEntryView(row: Record<string, any>): QueueEntryView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    poolKey: row.pool_key,
    timeControl: row.time_control,
    mode: row.mode,
    variant: row.variant,
    region: row.region,
    rating: row.rating,
    status: row.status,
    enqueuedAt: row.enqueued_at,
    expiresAt: row.expires_at,
    estimatedWaitSeconds: row.estimated_wait_seconds,
    matchId: row.match_id,
    gameId: row.game_id,
    color: row.color,
    opponent: row.opponent,
    endedReason: row.ended_reason,
    format: row.format,
    partyId: row.party_id,
    members: row.members ?? null,
    teamMatch: row.team_match ?? null,
  };
}

/**
 * A QueueEntryView as one json column, for a statement whose row is nearly always a 1v1 entry (the
 * status read, the most frequent request of all; a team ticket's row is read again whole): `pg` handles
 * every column of every result anew, so one json column costs less than its 20 columns (Node CPU per
 * read ~42 → ~30 µs, PostgreSQL's 1–9 µs more, 50 reads in flight, 2026-12-04). The two timestamps travel as
 * epoch milliseconds (fromQueueEntryViewJson). Use as `SELECT row_to_json(v) AS view FROM (SELECT
 * ${QUEUE_ENTRY_VIEW_JSON_COLUMNS} FROM queue_entries WHERE …) v`.
 */
export const QUEUE_ENTRY_VIEW_JSON_COLUMNS = `id, tenant_id, user_id, pool_key, time_control, mode, variant, region, rating,
  status, extract(epoch FROM enqueued_at) * 1000 AS enqueued_at, extract(epoch FROM expires_at) * 1000 AS expires_at,
  estimated_wait_seconds, match_id, game_id, color, opponent, ended_reason, format, party_id`;

/** The QueueEntryView of a row_to_json of QUEUE_ENTRY_VIEW_JSON_COLUMNS. */
export function fromQueueEntryViewJson(json: Record<string, any>): QueueEntryView {
  const view = toQueueEntryView(json);
  view.enqueuedAt = new Date(json.enqueued_at);
  view.expiresAt = new Date(json.expires_at);
  return view;
}

/** The entry's own columns, without a team ticket's members and match. */
const OWN_COLUMNS = `id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category, region, rating,
  status, enqueued_at, expires_at, estimated_wait_seconds, match_id, game_id, color, opponent, ended_reason,
  ended_at, request_id, format, party_id`;

/**
 * Every column toQueueEntry reads, from `queue_entries` unaliased. A team ticket's members come along
 * (its leader first, then by user id); CASE evaluates the subquery only for team entries. The subqueries
 * still cost every execution their start-up (their tables and indexes locked and opened, 0.05–0.08 ms
 * of PostgreSQL CPU measured on the join): a statement that can only answer a 1v1 entry uses
 * QUEUE_ENTRY_1V1_COLUMNS.
 */
export const QUEUE_ENTRY_COLUMNS = `${OWN_COLUMNS},
  CASE WHEN format = '1v1' THEN NULL ELSE (
    SELECT json_agg(json_build_object('user_id', t.user_id, 'username', t.username, 'rating', t.rating)
                    ORDER BY t.user_id <> queue_entries.user_id, t.user_id)
    FROM ticket_members t WHERE t.entry_id = queue_entries.id) END AS members,
  CASE WHEN format = '1v1' OR match_id IS NULL THEN NULL ELSE (
    SELECT json_build_object('match_id', m.id, 'game_id', m.game_id, 'format', m.format, 'teams', (
      SELECT json_agg(json_build_object('team', s.team, 'rating', s.rating, 'players', s.players) ORDER BY s.team)
      FROM (SELECT p.team, avg(p.rating)::float8 AS rating,
                   json_agg(json_build_object('user_id', p.user_id, 'username', p.username, 'rating', p.rating,
                                              'board', p.board, 'color', p.color) ORDER BY p.board) AS players
            FROM match_players p WHERE p.match_id = m.id GROUP BY p.team) s))
    FROM matches m WHERE m.id = queue_entries.match_id) END AS team_match`;

/** QUEUE_ENTRY_COLUMNS for a statement whose row is always a 1v1 entry (format '1v1'): no members, no team match. */
export const QUEUE_ENTRY_1V1_COLUMNS = `${OWN_COLUMNS}, NULL::json AS members, NULL::json AS team_match`;
