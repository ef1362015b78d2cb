import { adminAuth, joinQueue, playerAuth } from './api';
import { insertMatch, MatchFixture } from './fixtures';
import { TestApp, useService } from './test-app';

export const A = 'tenant-a';
export const B = 'tenant-b';
export const POOL = 'standard_5+0_rated';

/** ROLE=api: no worker runs, so nobody is paired behind the test's back and the figures stay as seeded. */
export const ADMIN_ENV: Record<string, string> = {
  ROLE: 'api',
  RATE_LIMIT_JOINS_PER_MINUTE: '1000',
  ACTIVE_GAME_CHECK: 'false',
  QUEUE_TIMEOUT_SECONDS: '600',
};

export const admin = (tenant = A) => adminAuth(tenant);
export const player = (tenant = A) => playerAuth(tenant, 'joe');

/** Joins and answers the queue entry id. */
export const enqueue = async (t: TestApp, tenant: string, user: string, body: object): Promise<string> =>
  (await joinQueue(t, tenant, user, body)).queue_entry_id;

const backdate = (t: TestApp, id: string, seconds: number) =>
  t.db.query(`UPDATE queue_entries SET enqueued_at = now() - make_interval(secs => $2) WHERE id = $1`, [id, seconds]);

async function seedEntries(t: TestApp, ids: Record<string, string>): Promise<void> {
  // Three waiting players in three regions (none = ANY), waiting 10, 20 and 30 seconds.
  ids.ann = await enqueue(t, A, 'ann', { time_control: '5+0', region: 'EU' });
  ids.bob = await enqueue(t, A, 'bob', { time_control: '5+0', region: 'US' });
  ids.cat = await enqueue(t, A, 'cat', { time_control: '5+0' });
  await backdate(t, ids.ann, 10);
  await backdate(t, ids.bob, 20);
  await backdate(t, ids.cat, 30);
  // One timeout in the window, one long ago.
  ids.dan = await enqueue(t, A, 'dan', { time_control: '5+0' });
  await t.db.query(
    `UPDATE queue_entries SET status = 'TIMED_OUT', ended_reason = 'timeout', ended_at = now() WHERE id = $1`,
    [ids.dan],
  );
  ids.eve = await enqueue(t, A, 'eve', { time_control: '5+0' });
  await t.db.query(
    `UPDATE queue_entries SET status = 'TIMED_OUT', ended_reason = 'timeout', ended_at = now() - interval '10 minutes' WHERE id = $1`,
    [ids.eve],
  );
  // A pool with only a cancel in the window: listed, empty.
  ids.fay = await enqueue(t, A, 'fay', { time_control: '3+0', mode: 'casual' });
  expect((await t.http().delete(`/v1/matchmaking/queue/${ids.fay}`).set(playerAuth(A, 'fay'))).status).toBe(200);
  // A pool whose last activity was 10 minutes ago: not listed.
  ids.gus = await enqueue(t, A, 'gus', { time_control: '10+0' });
  await t.db.query(
    `UPDATE queue_entries SET status = 'CANCELLED', ended_reason = 'user', ended_at = now() - interval '10 minutes',
       updated_at = now() - interval '10 minutes', enqueued_at = now() - interval '11 minutes' WHERE id = $1`,
    [ids.gus],
  );
  // A MATCHING entry (paired, game being created).
  ids.hal = await enqueue(t, A, 'hal', { time_control: '1+0' });
  await t.db.query(`UPDATE queue_entries SET status = 'MATCHING' WHERE id = $1`, [ids.hal]);
}

async function seedMatches(t: TestApp, ids: Record<string, string>): Promise<void> {
  const match = async (m: MatchFixture) =>
    (await insertMatch(t.db, { region: 'EU', attempts: 1, createdAgoSeconds: 2, ...m })).matchId;
  // Created games in the window: gaps 60 and 20, mean waits 15 s and 40 s. Excluded: FAILED, PENDING, too old.
  ids.m60 = await match({
    tenant: A,
    whiteRating: 1500,
    blackRating: 1560,
    whiteWaitMs: 10_000,
    blackWaitMs: 20_000,
    createdAgoSeconds: 4,
    gameCreatedAgoSeconds: 1,
  });
  ids.m20 = await match({
    tenant: A,
    whiteRating: 1600,
    blackRating: 1580,
    whiteWaitMs: 30_000,
    blackWaitMs: 50_000,
    createdAgoSeconds: 3,
    gameCreatedAgoSeconds: 1,
    source: 'challenge',
  });
  ids.mFailed = await match({
    tenant: A,
    status: 'FAILED',
    whiteRating: 1000,
    blackRating: 1400,
    whiteWaitMs: 90_000,
    blackWaitMs: 90_000,
    createdAgoSeconds: 2,
  });
  ids.mPending = await match({
    tenant: A,
    status: 'PENDING',
    whiteRating: 1000,
    blackRating: 1300,
    whiteWaitMs: 1000,
    blackWaitMs: 1000,
    createdAgoSeconds: 1,
  });
  ids.mOld = await match({
    tenant: A,
    whiteRating: 1000,
    blackRating: 1500,
    whiteWaitMs: 500_000,
    blackWaitMs: 500_000,
    createdAgoSeconds: 700,
    gameCreatedAgoSeconds: 690,
  });
  // Tenant B: one waiting player in the same pool key and one created game.
  ids.zed = await enqueue(t, B, 'zed', { time_control: '5+0', region: 'EU' });
  ids.mB = await match({
    tenant: B,
    whiteRating: 1500,
    blackRating: 1500,
    whiteWaitMs: 2000,
    blackWaitMs: 2000,
    createdAgoSeconds: 0,
    gameCreatedAgoSeconds: 1,
  });
}

/**
 * The known scenario of the admin tests: waiting, timed-out, cancelled and matching entries in three
 * pools of tenant A, one waiting entry in tenant B, and match records in and out of the 5-minute window.
 * Fills `ids` by name (user for entries, m<gap>/mFailed/mPending/mOld/mB for matches).
 */
export async function seedAdminScenario(t: TestApp, ids: Record<string, string>): Promise<void> {
  await seedEntries(t, ids);
  await seedMatches(t, ids);
}

/**
 * A service of the file's own on ADMIN_ENV, seeded with the scenario before the file's tests;
 * `onStart` receives the service, the answer holds the seeded ids once it has run.
 */
export function useAdminScenario(onStart: (t: TestApp) => unknown): Record<string, string> {
  const ids: Record<string, string> = {};
  useService(ADMIN_ENV, async (t) => {
    await onStart(t);
    await seedAdminScenario(t, ids);
  });
  return ids;
}
