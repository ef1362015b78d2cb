import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { Middleware } from 'openapi-fetch';
import { createMatchmakingClient } from '../clients/typescript/src';
import { tmpdir } from 'os';
import { join as joinPath, resolve } from 'path';
import { apiKey, bearer, TestApp, waitFor } from './support/test-app';
import { startWithStub, Stub } from './support/stub';
import { toJsonSchema, typeCheckUsage } from './support/openapi';

const CLIENT = 'clients/typescript';
const PUBLIC = /^\/health(\/|$)/;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Finds the documented operation of a concrete URL path. */
function operationOf(doc: any, method: string, path: string): { template: string; op: any } {
  for (const [template, ops] of Object.entries<any>(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.+]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(path) && ops[method]) return { template, op: ops[method] };
  }
  throw new Error(`${method.toUpperCase()} ${path} is not documented`);
}

describe('OpenAPI: a generated client works and every response matches its documented schema', () => {
  let stub: Stub;
  let t: TestApp;
  let doc: any;
  let ajv: Ajv;
  const validators = new Map<string, ValidateFunction>();
  const exercised = new Set<string>();
  const tenant = `oa${Date.now().toString(36)}`;
  let gameId = '';

  /** Validates a real response against the schema documented for its operation, status and media type. */
  const checkResponse = async (method: string, url: string, response: Response) => {
    const path = new URL(url).pathname;
    const { template, op } = operationOf(doc, method.toLowerCase(), decodeURIComponent(path));
    const status = String(response.status);
    const documented = op.responses[status];
    if (!documented) throw new Error(`${method} ${template} answered ${status}, which is not documented`);
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    const content = documented.content?.[mediaType];
    if (!content?.schema) throw new Error(`${method} ${template} ${status}: ${mediaType} is not documented`);
    const key = `${method} ${template} ${status} ${mediaType}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile({ ...toJsonSchema(content.schema), components: toJsonSchema(doc.components) });
      validators.set(key, validate);
    }
    const body = await response.clone().json();
    if (!validate(body)) {
      throw new Error(
        `${key}: body does not match the documented schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
      );
    }
    exercised.add(`${method} ${template} ${status}`);
  };

  /** openapi-fetch middleware: every response of the client is checked against the document. */
  const validating: Middleware = {
    async onResponse({ request, response }) {
      await checkResponse(request.method, request.url, response);
      return response;
    },
  };

  const clientAs = (headers: Record<string, string>) => {
    const client = createMatchmakingClient({ baseUrl: t.url, headers });
    client.use(validating);
    return client;
  };

  beforeAll(async () => {
    ({ stub, t } = await startWithStub({ ACTIVE_GAME_CHECK: 'false', REMATCH_COOLDOWN_SECONDS: '0' }));
    doc = (await t.http().get('/docs-json').expect(200)).body;
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it('documents security, body, success schema and errors for every operation', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const problems: string[] = [];
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const method of METHODS) {
        const op = ops[method];
        if (!op) continue;
        const name = `${method.toUpperCase()} ${path}`;
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        if (success.length !== 1) problems.push(`${name}: expected one success response, got ${success.join(',')}`);
        for (const s of success) {
          const content = op.responses[s].content ?? {};
          if (!Object.values<any>(content).some((c) => c.schema)) problems.push(`${name} ${s}: no schema`);
        }
        if (PUBLIC.test(path)) {
          if (op.security?.length) problems.push(`${name}: public route documented with security`);
          continue;
        }
        if (path === '/metrics') {
          // Open unless METRICS_TOKEN is set; then the scraper's bearer token.
          const metricsSchemes = (op.security ?? []).flatMap((s: object) => Object.keys(s));
          if (JSON.stringify(metricsSchemes) !== '["metrics"]')
            problems.push(`${name}: not documented as METRICS_TOKEN`);
          continue;
        }
        const schemes = (op.security ?? []).flatMap((s: object) => Object.keys(s)).sort();
        const expected = path.startsWith('/internal/') ? ['api-key', 'bearer'] : ['bearer'];
        if (JSON.stringify(schemes) !== JSON.stringify(expected))
          problems.push(`${name}: security ${JSON.stringify(schemes)} ≠ ${JSON.stringify(expected)}`);
        const errors = path.startsWith('/internal/') ? ['401', '403', '503'] : ['401', '503'];
        for (const status of errors) if (!op.responses[status]) problems.push(`${name}: ${status} not documented`);
        for (const [status, r] of Object.entries<any>(op.responses)) {
          if (Number(status) >= 400 && !r.content?.['application/problem+json']?.schema)
            problems.push(`${name} ${status}: not problem+json`);
        }
        const hasBodyOrParams =
          op.requestBody || (op.parameters ?? []).some((p: any) => p.in === 'query' && p.name !== 'access_token');
        if (hasBodyOrParams && !op.responses['400']) problems.push(`${name}: takes input but 400 is not documented`);
        if (op.requestBody && !op.requestBody.content?.['application/json']?.schema)
          problems.push(`${name}: request body without schema`);
        if (
          ['post', 'put'].includes(method) &&
          /\/(queue|challenges|ratings\/\{category\}|result)$/.test(path) &&
          !op.requestBody
        ) {
          problems.push(`${name}: request body not documented`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has a committed client (clients/typescript) generated from exactly the served document', () => {
    // Stale when the served document changed without `npm run client:generate`: regenerate and diff.
    const committed = JSON.parse(readFileSync(resolve(CLIENT, 'openapi.json'), 'utf8'));
    if (JSON.stringify(doc) !== JSON.stringify(committed)) {
      writeFileSync(resolve('reports/openapi-served.json'), JSON.stringify(doc, null, 2));
      throw new Error(
        'clients/typescript is stale against the served /docs-json: ' +
          'run `npm run client:generate -- --from reports/openapi-served.json` and commit clients/typescript',
      );
    }
    const dir = mkdtempSync(joinPath(tmpdir(), 'mm-openapi-'));
    writeFileSync(joinPath(dir, 'served.json'), JSON.stringify(doc));
    execFileSync(
      process.execPath,
      [resolve('scripts/generate-client.js'), '--from', joinPath(dir, 'served.json'), '--out', dir],
      {
        stdio: 'pipe',
      },
    );
    expect(readFileSync(joinPath(dir, 'src/schema.d.ts'), 'utf8')).toBe(
      readFileSync(resolve(CLIENT, 'src/schema.d.ts'), 'utf8'),
    );
  });

  it('lists null in every nullable enum and admits null for every nullable reference (strict 3.0.3)', () => {
    const entry = doc.components.schemas.QueueEntryDto.properties;
    expect(entry.color.enum).toContain(null);
    expect(entry.ended_reason.enum).toContain(null);
    const opponent = ajv.compile({ ...toJsonSchema(entry.opponent), components: toJsonSchema(doc.components) });
    expect(opponent(null)).toBe(true);
    expect(
      opponent({ user_id: 'u', username: null, rating_snapshot: { time_control: '5+0', mode: 'rated', rating: 1500 } }),
    ).toBe(true);
    expect(opponent('nobody')).toBe(false);
  });

  it('compiles typed calls against the committed client', () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'mm-openapi-'));
    // The typed calls a client makes; a wrong path, field or type in the document fails to compile.
    const diagnostics = typeCheckUsage(
      dir,
      `
      import { createMatchmakingClient } from '${resolve(CLIENT, 'src')}';
      const client = createMatchmakingClient({ baseUrl: 'http://localhost' });
      export async function usage(): Promise<number> {
        const joined = await client.POST('/v1/matchmaking/queue', { body: { time_control: '5+0', region: 'EU' } });
        const id: string = joined.data!.queue_entry_id;
        const status = await client.GET('/v1/matchmaking/queue/{id}', { params: { path: { id } } });
        const s: 'SEARCHING' | 'MATCHING' | 'MATCHED' | 'CANCELLED' | 'TIMED_OUT' = status.data!.status;
        await client.DELETE('/v1/matchmaking/queue/{id}', { params: { path: { id } } });
        const summary = await client.GET('/internal/queues/summary', { params: { query: { tenant_id: 'x' } } });
        const first = summary.data!.queues[0];
        const gap: number | null = first.avg_rating_gap_5m;
        const regions: Record<string, number> = first.by_region;
        const entries = await client.GET('/internal/queues/{pool_key}/entries', { params: { path: { pool_key: 'p' }, query: { limit: 10 } } });
        const matches = await client.GET('/internal/matches', { params: { query: { status: 'CREATED', limit: 5 } } });
        const wait: number = matches.data![0].white_wait_ms;
        const challenge = await client.POST('/v1/matchmaking/challenges', { body: { opponent_user_id: 'bob', time_control: '5+0' } });
        const accepted = await client.POST('/v1/matchmaking/challenges/{id}/accept', { params: { path: { id: challenge.data!.challenge_id } } });
        const game: string | null = accepted.data!.game_id;
        void s; void gap; void regions; void entries; void game;
        return wait + first.waiting_count;
      }
    `,
    );
    expect(diagnostics).toEqual([]);
  });

  it('drives join, status, cancel, admin and the summary through the client', async () => {
    const alice = clientAs(bearer('alice', { tenant_id: tenant, username: 'Alice' }));
    const admin = clientAs(bearer('root', { tenant_id: tenant, roles: ['admin'] }));
    const system = clientAs(apiKey);

    const joined = await alice.POST('/v1/matchmaking/queue', { body: { time_control: '7+5', region: 'eu' } });
    expect(joined.response.status).toBe(201);
    expect(joined.data).toMatchObject({ status: 'SEARCHING', region: 'EU', pool_key: 'standard_7+5_rated' });
    const id = joined.data!.queue_entry_id;

    const again = await alice.POST('/v1/matchmaking/queue', { body: { time_control: '7+5' } });
    expect(again.response.status).toBe(409);
    expect(again.error).toMatchObject({ code: 'ALREADY_IN_QUEUE', queue_entry_id: id });
    const invalid = await alice.POST('/v1/matchmaking/queue', { body: { time_control: '0+0', extra: 1 } as any });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error!.errors!.length).toBeGreaterThan(0);

    const status = await alice.GET('/v1/matchmaking/queue/{id}', { params: { path: { id } } });
    expect(status.data!.queue_entry_id).toBe(id);
    expect(
      (await alice.GET('/v1/matchmaking/queue/{id}', { params: { path: { id: 'q_nope' } } })).response.status,
    ).toBe(404);
    expect((await alice.GET('/v1/matchmaking/active', {})).data!.queue_entry!.queue_entry_id).toBe(id);

    const summary = await admin.GET('/internal/queues/summary', {});
    expect(summary.data!.queues).toEqual([
      expect.objectContaining({
        tenant_id: tenant,
        pool_key: 'standard_7+5_rated',
        waiting_count: 1,
        by_region: { EU: 1 },
      }),
    ]);
    expect(
      (await system.GET('/internal/queues/summary', { params: { query: { tenant_id: tenant } } })).data!.queues,
    ).toHaveLength(1);
    const forbidden = await alice.GET('/internal/queues/summary', {});
    expect(forbidden.response.status).toBe(403);
    expect((await clientAs({}).GET('/internal/queues/summary', {})).response.status).toBe(401);
    expect(
      (await system.GET('/internal/matches', { params: { query: { status: 'NOPE' as any } } })).response.status,
    ).toBe(400);

    const waiting = await admin.GET('/internal/queues/{pool_key}/entries', {
      params: { path: { pool_key: 'standard_7+5_rated' }, query: { limit: 10 } },
    });
    expect(waiting.data!.map((e: any) => e.queue_entry_id)).toEqual([id]);

    const cancelled = await alice.DELETE('/v1/matchmaking/queue/{id}', { params: { path: { id } } });
    expect(cancelled.data).toMatchObject({ status: 'CANCELLED', ended_reason: 'user' });

    const bob = clientAs(bearer('bob', { tenant_id: tenant }));
    const bobs = await bob.POST('/v1/matchmaking/queue', { body: { time_control: '7+5' } });
    const forced = await admin.DELETE('/internal/queue-entries/{id}', {
      params: { path: { id: bobs.data!.queue_entry_id } },
    });
    expect(forced.data).toMatchObject({ status: 'CANCELLED', ended_reason: 'admin' });
    expect(
      (await admin.DELETE('/internal/queue-entries/{id}', { params: { path: { id: 'q_nope' } } })).response.status,
    ).toBe(404);

    expect((await clientAs({}).GET('/health/live', {})).response.status).toBe(200);
    expect((await clientAs({}).GET('/health/ready', {})).response.status).toBe(200);
    expect((await alice.GET('/v1/players/me', {})).response.status).toBe(200);
  });

  it('drives a real match, its records, the result and a conflict through the client', async () => {
    const carl = clientAs(bearer('carl', { tenant_id: tenant }));
    const dora = clientAs(bearer('dora', { tenant_id: tenant }));
    const admin = clientAs(bearer('root', { tenant_id: tenant, roles: ['admin'] }));
    const c = await carl.POST('/v1/matchmaking/queue', { body: { time_control: '2+1' } });
    await dora.POST('/v1/matchmaking/queue', { body: { time_control: '2+1' } });
    const id = c.data!.queue_entry_id;
    const matched = await waitFor(async () => {
      const r = await carl.GET('/v1/matchmaking/queue/{id}', { params: { path: { id } } });
      return r.data!.status === 'MATCHED' && r.data;
    });
    expect(matched.opponent!.user_id).toBe('dora');
    const conflict = await carl.DELETE('/v1/matchmaking/queue/{id}', { params: { path: { id } } });
    expect(conflict.response.status).toBe(409);
    expect(conflict.error!.code).toBe('CANNOT_CANCEL');
    const adminConflict = await admin.DELETE('/internal/queue-entries/{id}', { params: { path: { id } } });
    expect(adminConflict.error!.code).toBe('CANNOT_CANCEL');
    expect((await carl.GET('/v1/matchmaking/active', {})).data!.match!.game_id).toBe(matched.game_id);

    const records = await admin.GET('/internal/matches', { params: { query: { status: 'CREATED' } } });
    expect(records.data![0]).toMatchObject({
      match_id: matched.match_id,
      game_id: matched.game_id,
      status: 'CREATED',
      source: 'queue',
    });
    const summary = await admin.GET('/internal/queues/summary', {});
    expect(summary.data!.queues.find((q: any) => q.pool_key === 'standard_2+1_rated')).toMatchObject({
      matches_last_5m: 1,
      timeouts_last_5m: 0,
    });
    gameId = matched.game_id!;
  });

  it('documents the game-result response accurately', async () => {
    expect(gameId).toBeTruthy();
    const system = clientAs(apiKey);
    const result = await system.POST('/internal/games/{game_id}/result', {
      params: { path: { game_id: gameId } },
      body: { result: 'white' },
    });
    expect(result.response.status).toBe(200);
    expect(result.data).toMatchObject({ game_id: gameId, result: 'white', recorded: true });
  });

  it('drives a challenge and its acceptance through the client', async () => {
    const erin = clientAs(bearer('erin', { tenant_id: tenant, username: 'Erin' }));
    const finn = clientAs(bearer('finn', { tenant_id: tenant }));
    const created = await erin.POST('/v1/matchmaking/challenges', {
      body: { opponent_user_id: 'finn', time_control: '10+0', preferred_color: 'white' },
    });
    expect(created.response.status).toBe(201);
    expect(created.data!.status).toBe('PENDING');
    expect((await finn.GET('/v1/matchmaking/challenges/incoming', {})).data!.map((x: any) => x.challenge_id)).toEqual([
      created.data!.challenge_id,
    ]);
    const accepted = await finn.POST('/v1/matchmaking/challenges/{id}/accept', {
      params: { path: { id: created.data!.challenge_id } },
    });
    expect(accepted.response.status).toBe(200);
    expect(accepted.data!.status).toBe('ACCEPTED');
    const seen = await erin.GET('/v1/matchmaking/challenges/{id}', {
      params: { path: { id: created.data!.challenge_id } },
    });
    expect(seen.data!.status).toBe('ACCEPTED');
  });

  it('drives a party and its ticket through the client', async () => {
    const gil = clientAs(bearer('gil', { tenant_id: tenant, username: 'Gil' }));
    const hana = clientAs(bearer('hana', { tenant_id: tenant }));
    const ivan = clientAs(bearer('ivan', { tenant_id: tenant }));
    expect((await gil.GET('/v1/parties/current', {})).data).toBeNull();
    const created = await gil.POST('/v1/parties', { body: { format: '2v2' } });
    expect(created.response.status).toBe(201);
    const id = created.data!.party_id;
    const path = { params: { path: { id } } };
    const joined = await hana.POST('/v1/parties/{id}/join', path);
    expect(joined.data!.members.map((m) => m.user_id)).toEqual(['gil', 'hana']);
    expect((await ivan.POST('/v1/parties/{id}/join', path)).error!.code).toBe('PARTY_FULL');
    expect((await ivan.GET('/v1/parties/{id}', path)).response.status).toBe(404);
    expect((await hana.GET('/v1/parties/{id}', path)).data!.leader_user_id).toBe('gil');
    expect((await gil.POST('/v1/parties', { body: { format: '2v2' } })).error!.code).toBe('ALREADY_IN_PARTY');

    const ticket = await gil.POST('/v1/matchmaking/queue', {
      body: { time_control: '3+0', format: '2v2', party_id: id },
    });
    expect(ticket.response.status).toBe(201);
    expect(ticket.data!.members!.map((m) => m.user_id)).toEqual(['gil', 'hana']);
    const entry = { params: { path: { id: ticket.data!.queue_entry_id } } };
    expect((await hana.GET('/v1/matchmaking/queue/{id}', entry)).data!.party_id).toBe(id);
    expect((await hana.GET('/v1/matchmaking/active', {})).data!.queue_entry!.format).toBe('2v2');
    const blocked = await hana.POST('/v1/matchmaking/queue', { body: { time_control: '5+0' } });
    expect(blocked.error).toMatchObject({ code: 'ALREADY_IN_QUEUE', queue_entry_id: ticket.data!.queue_entry_id });
    const notLeader = await hana.DELETE('/v1/parties/{id}/members/{user_id}', {
      params: { path: { id, user_id: 'gil' } },
    });
    expect(notLeader.response.status).toBe(403);

    expect((await hana.POST('/v1/parties/{id}/leave', path)).data!.status).toBe('OPEN');
    expect((await gil.GET('/v1/matchmaking/queue/{id}', entry)).data!.ended_reason).toBe('party_changed');
    await ivan.POST('/v1/parties/{id}/join', path);
    const removed = await gil.DELETE('/v1/parties/{id}/members/{user_id}', {
      params: { path: { id, user_id: 'ivan' } },
    });
    expect(removed.data!.members.map((m) => m.user_id)).toEqual(['gil']);
    expect((await gil.GET('/v1/parties/current', {})).data!.party_id).toBe(id);
  });

  it('takes a party from its creation to a team game and its result through the client', async () => {
    const [jo, kai, lea, max] = ['jo', 'kai', 'lea', 'max'].map((u) => clientAs(bearer(u, { tenant_id: tenant })));
    const system = clientAs(apiKey);
    const party = (await jo.POST('/v1/parties', { body: { format: '2v2' } })).data!;
    await kai.POST('/v1/parties/{id}/join', { params: { path: { id: party.party_id } } });
    const ticket = await jo.POST('/v1/matchmaking/queue', {
      body: { time_control: '3+0', format: '2v2', party_id: party.party_id },
    });
    for (const solo of [lea, max])
      await solo.POST('/v1/matchmaking/queue', { body: { time_control: '3+0', format: '2v2' } });
    const entry = { params: { path: { id: ticket.data!.queue_entry_id } } };
    const matched = await waitFor(async () => {
      const seen = await kai.GET('/v1/matchmaking/queue/{id}', entry);
      return seen.data!.status === 'MATCHED' && seen.data!;
    }, 15_000);
    const teams = matched.match!.teams.map((team) => team.players.map((p) => p.user_id).sort());
    expect(teams).toContainEqual(['jo', 'kai']);
    expect((await jo.GET('/v1/parties/current', {})).data!.status).toBe('IN_GAME');
    const active = (await kai.GET('/v1/matchmaking/active', {})).data!.match!;
    expect('teams' in active && active.teams).toHaveLength(2);
    const partyTeam = matched.match!.teams.find((team) => team.players.some((p) => p.user_id === 'jo'))!.team;
    const result = await system.POST('/internal/games/{game_id}/result', {
      params: { path: { game_id: matched.game_id! } },
      body: { result: partyTeam },
    });
    expect(result.response.status).toBe(200);
    expect((await jo.GET('/v1/parties/current', {})).data!.status).toBe('OPEN');
    const board = await jo.GET('/v1/leaderboard', { params: { query: { category: 'team_blitz' } } });
    expect(
      board
        .data!.players.slice(0, 2)
        .map((p) => p.user_id)
        .sort(),
    ).toEqual(['jo', 'kai']);
  });

  it('validated a response of every route this suite exercises', () => {
    for (const op of [
      'POST /v1/matchmaking/queue 201',
      'POST /v1/matchmaking/queue 409',
      'POST /v1/matchmaking/queue 400',
      'GET /v1/matchmaking/queue/{id} 200',
      'GET /v1/matchmaking/queue/{id} 404',
      'DELETE /v1/matchmaking/queue/{id} 200',
      'DELETE /v1/matchmaking/queue/{id} 409',
      'GET /v1/matchmaking/active 200',
      'GET /internal/queues/summary 200',
      'GET /internal/queues/summary 401',
      'GET /internal/queues/summary 403',
      'GET /internal/queues/{pool_key}/entries 200',
      'DELETE /internal/queue-entries/{id} 200',
      'DELETE /internal/queue-entries/{id} 404',
      'DELETE /internal/queue-entries/{id} 409',
      'GET /internal/matches 200',
      'GET /internal/matches 400',
      'GET /health/live 200',
      'GET /health/ready 200',
      'GET /v1/players/me 200',
      'GET /v1/matchmaking/challenges/incoming 200',
      'GET /v1/matchmaking/challenges/{id} 200',
      'POST /v1/matchmaking/challenges 201',
      'POST /v1/matchmaking/challenges/{id}/accept 200',
      'POST /v1/parties 201',
      'POST /v1/parties 409',
      'GET /v1/parties/current 200',
      'GET /v1/parties/{id} 200',
      'GET /v1/parties/{id} 404',
      'POST /v1/parties/{id}/join 200',
      'POST /v1/parties/{id}/join 409',
      'POST /v1/parties/{id}/leave 200',
      'DELETE /v1/parties/{id}/members/{user_id} 200',
      'DELETE /v1/parties/{id}/members/{user_id} 403',
    ]) {
      expect(exercised).toContain(op);
    }
  });
});
