import { Observed } from '../client';
import { Check, Query } from '../identity';
import { Acceptance } from '../players';
import { DEPENDENCY_FAULTS, FaultKind } from './schedule';

/**
 * The chaos soak's verdict, read after the quiet period: the accounting identity in PostgreSQL, the
 * stub's games against the matches, and what the load's clients saw. Each check names its offenders.
 */

export interface ClientView {
  /** entry id → how the load learnt of it: every one is a join the service accepted */
  accepted: Map<string, Acceptance>;
  /** joins answered with no status or a 5xx: the entry may or may not exist */
  unknownJoins: number;
  /** every 5xx answer the load received */
  serverErrors: Observed[];
}

export interface FaultWindow {
  /** a fault kind, or probe:postgres / probe:redis when the soak's own probe found that dependency down */
  kind: FaultKind | `probe:${string}`;
  startedAt: number;
  repairedAt: number | null;
}

export interface StubGame {
  match_id: string;
  game_id: string;
}

export interface CheckOptions {
  /** a match still PENDING this long after its creation and after the last fault's repair was left behind */
  pendingMaxAgeS: number;
  /** epoch ms of the last repair: faults in a row may each delay a match, so its bound counts from here */
  lastRepairAt: number;
  /** after a dependency is back, clients may still see 503 for this long (pools reconnecting) */
  recoveryGraceMs: number;
}

const SAMPLE = 5;

function orphans(stubGames: StubGame[], matches: Map<string, { status: string }>): number {
  return stubGames.filter((g) => matches.get(g.match_id)?.status === 'FAILED').length;
}
const sample = (xs: unknown[]) => (xs.length ? ` e.g. ${JSON.stringify(xs.slice(0, SAMPLE))}` : '');
const check = (name: string, offenders: unknown[], detail = ''): Check => ({
  name,
  ok: offenders.length === 0,
  detail: `${offenders.length} violation(s)${detail ? `; ${detail}` : ''}${sample(offenders)}`,
});

export async function checkInvariants(
  q: Query,
  stubGames: StubGame[],
  view: ClientView,
  windows: FaultWindow[],
  options: CheckOptions,
): Promise<Check[]> {
  return [
    ...(await entryChecks(q, view)),
    ...(await matchChecks(q, stubGames, options)),
    ...clientChecks(view, windows, options),
  ];
}

async function entryChecks(q: Query, view: ClientView): Promise<Check[]> {
  const ids = [...view.accepted.keys()];
  const found = new Set(
    (await q<{ id: string }>(`SELECT id FROM queue_entries WHERE id = ANY($1::text[])`, [ids])).map((r) => r.id),
  );
  const [{ total }] = await q<{ total: number }>(`SELECT count(*)::int AS total FROM queue_entries`);
  const unseen = total - found.size;
  return [
    check(
      'every join the clients saw accepted (201, or found again after a lost answer) is in PostgreSQL',
      ids.filter((id) => !found.has(id)),
      `${ids.length} accepted`,
    ),
    check(
      'entries the clients never saw ≤ joins whose answer was lost or a 5xx',
      unseen > view.unknownJoins ? [{ unseen, unknown: view.unknownJoins }] : [],
      `${unseen} unseen, ${view.unknownJoins} unknown`,
    ),
    check(
      'every entry in exactly one state: SEARCHING, MATCHING, MATCHED, CANCELLED or TIMED_OUT, with its ending',
      await q(
        `SELECT id, status, ended_reason FROM queue_entries
         WHERE status NOT IN ('SEARCHING', 'MATCHING', 'MATCHED', 'CANCELLED', 'TIMED_OUT')
            OR (status = 'CANCELLED' AND ended_reason IS NULL)
            OR (status = 'TIMED_OUT' AND ended_reason IS DISTINCT FROM 'timeout')
            OR (status IN ('SEARCHING', 'MATCHING') AND ended_reason IS NOT NULL)`,
      ),
    ),
    check(
      'no user in two open (SEARCHING or MATCHING) entries',
      await q(
        `SELECT tenant_id, user_id, count(*)::int AS open FROM queue_entries
         WHERE status IN ('SEARCHING', 'MATCHING') GROUP BY tenant_id, user_id HAVING count(*) > 1`,
      ),
    ),
    check(
      'no user in two open tickets (every member of a team ticket counted)',
      await q(
        `SELECT tenant_id, user_id, count(*)::int AS open FROM ticket_members WHERE open
         GROUP BY tenant_id, user_id HAVING count(*) > 1`,
      ),
    ),
    check(
      'every member of a MATCHED team ticket has a seat in its match, and every team match 2N seats',
      await q(
        `SELECT e.id, t.user_id FROM ticket_members t JOIN queue_entries e ON e.id = t.entry_id
         WHERE e.status = 'MATCHED' AND e.format <> '1v1'
           AND NOT EXISTS (SELECT 1 FROM match_players p WHERE p.match_id = e.match_id AND p.user_id = t.user_id)
         UNION ALL
         SELECT m.id, NULL FROM matches m WHERE m.format <> '1v1'
           AND (SELECT count(*) FROM match_players p WHERE p.match_id = m.id) <> 2 * split_part(m.format, 'v', 1)::int`,
      ),
    ),
    check(
      'every MATCHED entry has the game id of its CREATED match',
      await q(
        `SELECT e.id, e.game_id, m.status AS match_status, m.game_id AS match_game FROM queue_entries e
         LEFT JOIN matches m ON m.id = e.match_id
         WHERE e.status = 'MATCHED' AND (e.game_id IS NULL OR m.id IS NULL OR m.status <> 'CREATED' OR m.game_id IS DISTINCT FROM e.game_id)`,
      ),
    ),
    check(
      'every MATCHING entry belongs to a PENDING match',
      await q(
        `SELECT e.id, m.status AS match_status FROM queue_entries e LEFT JOIN matches m ON m.id = e.match_id
         WHERE e.status = 'MATCHING' AND (m.id IS NULL OR m.status <> 'PENDING')`,
      ),
    ),
  ];
}

async function matchChecks(q: Query, stubGames: StubGame[], options: CheckOptions): Promise<Check[]> {
  const matches = new Map(
    (
      await q<{ id: string; status: string; game_id: string | null; unanswered_attempts: number }>(
        `SELECT id, status, game_id, unanswered_attempts FROM matches`,
      )
    ).map((m) => [m.id, m]),
  );
  const perMatch = new Map<string, string[]>();
  for (const g of stubGames) perMatch.set(g.match_id, [...(perMatch.get(g.match_id) ?? []), g.game_id]);
  const recorded = [...matches.values()].filter((m) => m.game_id !== null);
  return [
    check(
      'no match with two games (live-game API), and no game id on two matches',
      [
        ...[...perMatch].filter(([, games]) => games.length > 1).map(([match_id, games]) => ({ match_id, games })),
        ...(await q(
          `SELECT game_id, count(*)::int AS n FROM matches WHERE game_id IS NOT NULL GROUP BY game_id HAVING count(*) > 1`,
        )),
      ],
      `${stubGames.length} games on the stub`,
    ),
    check(
      'every game on the live-game API is the game of a CREATED match (or of one still PENDING, or of one ' +
        'that failed after calls whose answer never came: the service cannot know those created a game)',
      stubGames
        .filter((g) => {
          const m = matches.get(g.match_id);
          if (!m) return true;
          if (m.status === 'FAILED') return m.unanswered_attempts === 0;
          return m.status === 'CREATED' && m.game_id !== g.game_id;
        })
        .map((g) => ({ ...g, match: matches.get(g.match_id) ?? null })),
      `${orphans(stubGames, matches)} game(s) orphaned by such failures`,
    ),
    check(
      'every game id a match records exists on the live-game API',
      recorded.filter((m) => !(perMatch.get(m.id) ?? []).includes(m.game_id!)).map((m) => m.id),
    ),
    check(
      "every CREATED queue match's two entries are MATCHED with its game id",
      await q(
        `SELECT m.id, w.status AS white, b.status AS black FROM matches m
         LEFT JOIN queue_entries w ON w.id = m.white_entry_id LEFT JOIN queue_entries b ON b.id = m.black_entry_id
         WHERE m.status = 'CREATED' AND m.source = 'queue'
           AND (w.status IS DISTINCT FROM 'MATCHED' OR b.status IS DISTINCT FROM 'MATCHED'
                OR w.game_id IS DISTINCT FROM m.game_id OR b.game_id IS DISTINCT FROM m.game_id)`,
      ),
    ),
    check(
      'no queue entry in two matches that did not fail',
      await q(
        `SELECT e, count(*)::int AS n FROM (SELECT white_entry_id AS e FROM matches WHERE status <> 'FAILED'
                                             UNION ALL SELECT black_entry_id FROM matches WHERE status <> 'FAILED') x
         WHERE e IS NOT NULL GROUP BY e HAVING count(*) > 1`,
      ),
    ),
    check(
      `no match PENDING longer than the sweep allows (${options.pendingMaxAgeS} s from its creation or the last repair)`,
      await q(
        `SELECT id, attempts, last_error, extract(epoch FROM now() - created_at)::int AS age_s FROM matches
         WHERE status = 'PENDING'
           AND greatest(created_at, to_timestamp($2::double precision / 1000)) < now() - make_interval(secs => $1::int)`,
        [options.pendingMaxAgeS, options.lastRepairAt],
      ),
    ),
  ];
}

function clientChecks(view: ClientView, windows: FaultWindow[], options: CheckOptions): Check[] {
  // an api process that is starting again is not ready either: a load balancer would not send it traffic
  const outages = windows.filter(
    (w) => DEPENDENCY_FAULTS.has(w.kind as FaultKind) || w.kind === 'api-kill' || w.kind.startsWith('probe:'),
  );
  const during = (at: number) =>
    outages.some((w) => at >= w.startedAt && at <= (w.repairedAt ?? Infinity) + options.recoveryGraceMs);
  const brief = (o: Observed) => ({
    at: new Date(o.at).toISOString(),
    method: o.method,
    path: o.path,
    status: o.status,
    code: o.code,
  });
  return [
    check('no 5xx other than 503 ever reached a client', view.serverErrors.filter((o) => o.status !== 503).map(brief)),
    check(
      `503s only while PostgreSQL or Redis was down (cut, restarting, or not answering the soak's probe in time), ` +
        `or the api itself was restarting, or within ${options.recoveryGraceMs / 1000} s of that`,
      view.serverErrors.filter((o) => o.status === 503 && !during(o.at)).map(brief),
      `${view.serverErrors.filter((o) => o.status === 503).length} × 503; ${windows.filter((w) => w.kind.startsWith('probe:')).length} probe(s) found a dependency down`,
    ),
  ];
}
