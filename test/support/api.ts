import request from 'supertest';
import { apiKey, bearer, TestApp, waitFor } from './test-app';

/** The service a test talks to: one started in the test process, or the base URL of a service process. */
export type Service = TestApp | string;

export const QUEUE = '/v1/matchmaking/queue';
export const CHALLENGES = '/v1/matchmaking/challenges';
export const ACTIVE = '/v1/matchmaking/active';

const http = (service: Service) => (typeof service === 'string' ? request(service) : service.http());

export interface PlayerOptions {
  /** Also send the upper-cased user id as the token's username claim. */
  named?: boolean;
}

export const playerAuth = (tenant: string, user: string, { named = false }: PlayerOptions = {}) =>
  bearer(user, named ? { tenant_id: tenant, username: user.toUpperCase() } : { tenant_id: tenant });

export const adminAuth = (tenant: string, user = 'root') => bearer(user, { tenant_id: tenant, roles: ['admin'] });

/** An RFC 9457 problem answer with this status and code. */
export function expectProblem(res: any, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.code).toBe(code);
}

/** A join request, whatever its answer. */
export const postJoin = (service: Service, auth: Record<string, string>, body: object) =>
  http(service).post(QUEUE).set(auth).send(body);

/** Joins a queue, expects 201 and answers the QueueEntry. */
export async function joinQueue(
  service: Service,
  tenant: string,
  user: string,
  body: object = { time_control: '5+0' },
  options: PlayerOptions = {},
) {
  const res = await postJoin(service, playerAuth(tenant, user, options), body);
  expect(res.status).toBe(201);
  return res.body;
}

export async function queueEntry(service: Service, tenant: string, user: string, id: string, options?: PlayerOptions) {
  return (
    await http(service)
      .get(`${QUEUE}/${id}`)
      .set(playerAuth(tenant, user, options))
  ).body;
}

export interface WaitOptions extends PlayerOptions {
  timeoutMs?: number;
  everyMs?: number;
}

/** Polls a queue entry until it has this status, and answers it. */
export function untilStatus(
  service: Service,
  tenant: string,
  user: string,
  id: string,
  status: string,
  { timeoutMs = 8000, everyMs = 50, ...options }: WaitOptions = {},
) {
  return waitFor(
    async () => {
      const e = await queueEntry(service, tenant, user, id, options);
      return e.status === status && e;
    },
    timeoutMs,
    everyMs,
  );
}

/** Imports a rating through the internal API (the API key, any tenant). */
export const setRating = (
  service: Service,
  tenant: string,
  user: string,
  category: string,
  rating: number,
  deviation?: number,
) =>
  http(service)
    .put(`/internal/players/${user}/ratings/${category}?tenant_id=${tenant}`)
    .set(apiKey)
    .send(deviation === undefined ? { rating } : { rating, deviation })
    .expect(200);

export const postResult = (
  service: Service,
  gameId: string,
  result: unknown,
  headers: Record<string, string> = apiKey,
) => http(service).post(`/internal/games/${gameId}/result`).set(headers).send({ result });

/**
 * The calls above bound to one service, which may not be started yet when this is called
 * (`service` is read at each call, so a file can bind them before its beforeAll runs).
 */
export function playerApi(service: () => Service, options: PlayerOptions = {}) {
  return {
    as: (tenant: string, user: string) => playerAuth(tenant, user, options),
    join: (tenant: string, user: string, body?: object) => joinQueue(service(), tenant, user, body, options),
    entry: (tenant: string, user: string, id: string) => queueEntry(service(), tenant, user, id, options),
    untilStatus: (tenant: string, user: string, id: string, status: string, timeoutMs?: number) =>
      untilStatus(service(), tenant, user, id, status, { ...options, timeoutMs }),
    setRating: (tenant: string, user: string, category: string, rating: number, deviation?: number) =>
      setRating(service(), tenant, user, category, rating, deviation),
    postResult: (gameId: string, result: unknown, headers?: Record<string, string>) =>
      postResult(service(), gameId, result, headers),
  };
}

/** Direct-challenge calls of a tenant's players, with the player calls, bound like `playerApi`. */
export function challengeApi(service: () => Service, options: PlayerOptions = {}) {
  const players = playerApi(service, options);
  const { as } = players;
  const accept = (tenant: string, user: string, id: string) =>
    http(service()).post(`${CHALLENGES}/${id}/accept`).set(as(tenant, user));
  return {
    ...players,
    /** Sends a challenge (5+0 unless the body says otherwise), expects 201 and answers it. */
    challenge: async (tenant: string, from: string, to: string, body: object = {}) => {
      const res = await http(service())
        .post(CHALLENGES)
        .set(as(tenant, from))
        .send({ opponent_user_id: to, time_control: '5+0', ...body });
      expect(res.status).toBe(201);
      return res.body;
    },
    get: (tenant: string, user: string, id: string) => http(service()).get(`${CHALLENGES}/${id}`).set(as(tenant, user)),
    accept,
    decline: (tenant: string, user: string, id: string, body?: object) => {
      const req = http(service()).post(`${CHALLENGES}/${id}/decline`).set(as(tenant, user));
      return body === undefined ? req : req.send(body);
    },
    withdraw: (tenant: string, user: string, id: string) =>
      http(service()).delete(`${CHALLENGES}/${id}`).set(as(tenant, user)),
    list: async (tenant: string, user: string, side: 'incoming' | 'outgoing') => {
      const res = await http(service()).get(`${CHALLENGES}/${side}`).set(as(tenant, user));
      expect(res.status).toBe(200);
      return res.body as any[];
    },
    /** Accepts and expects the game to exist within the wait. */
    acceptWithGame: async (tenant: string, user: string, id: string) => {
      const res = await accept(tenant, user, id);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ACCEPTED');
      expect(res.body.game_id).toEqual(expect.any(String));
      return res.body;
    },
  };
}

/** The 1v1 QueueEntry's fields before team formats, which only added `format`. */
export const ONE_V_ONE_FIELDS = [
  'color',
  'ended_reason',
  'enqueued_at',
  'estimated_wait_seconds',
  'expires_at',
  'game_id',
  'match_id',
  'mode',
  'opponent',
  'pool_key',
  'queue_entry_id',
  'rating',
  'region',
  'status',
  'tenant_id',
  'time_control',
  'user_id',
  'variant',
];
