import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from './index';

const base = { JWT_SECRET: 'a-secret-of-sixteen-chars' };

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/matchmaking');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.liveGame).toEqual({
      url: 'http://127.0.0.1:8002',
      token: undefined,
      timeoutMs: 5000,
      attempts: 5,
      backoffMs: 1000,
    });
    expect(c.acceptWaitMs).toBe(3000);
    expect(c.role).toBe('all');
    expect(c.matchTickMs).toBe(1000);
    expect(c.matching).toEqual({
      windowInitial: 100,
      windowStep: 25,
      windowStepSeconds: 10,
      windowMax: 500,
      regionFallbackSeconds: 30,
      rematchCooldownSeconds: 60,
      maxPairsPerTick: 2000,
      tickBudgetMs: 800,
      poolCacheMin: 5000,
      poolCacheRefreshMs: 30000,
      nudgeMs: 100,
    });
    expect(c.queueTimeoutSeconds).toBe(600);
    expect(c.timeoutSweepMs).toBe(5000);
    expect(c.challengeTtlSeconds).toBe(300);
    expect(c.activeGameCheck).toBe(true);
    expect(c.regions).toBeNull();
    expect(c.variants).toEqual(['standard', 'chess960']);
    expect(c.rateLimitJoinsPerMinute).toBe(20);
    expect(c.rateLimitChallengesPerMinute).toBe(20);
    expect(c.maxPendingChallenges).toBe(20);
    expect(c.sse).toEqual({ maxStreamsPerUser: 5, heartbeatMs: 15000, safetyPollMs: 5000 });
    expect(c.http).toEqual({ headersTimeoutMs: 10000, requestTimeoutMs: 30000 });
    expect(c.metricsToken).toBeUndefined();
  });

  it('reads the caps and timeouts', () => {
    const c = loadConfig({
      ...base,
      RATE_LIMIT_CHALLENGES_PER_MINUTE: '7',
      MAX_PENDING_CHALLENGES: '3',
      SSE_MAX_STREAMS_PER_USER: '2',
      SSE_HEARTBEAT_MS: '500',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      METRICS_TOKEN: 'metrics-token-0123456789',
    });
    expect(c.rateLimitChallengesPerMinute).toBe(7);
    expect(c.maxPendingChallenges).toBe(3);
    expect(c.sse).toEqual({ maxStreamsPerUser: 2, heartbeatMs: 500, safetyPollMs: 5000 });
    expect(c.http).toEqual({ headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
    expect(c.metricsToken).toBe('metrics-token-0123456789');
  });

  it.each([
    ['JWT_SECRET', 'short-secret'],
    ['INTERNAL_API_KEY', 'short-key'],
    ['METRICS_TOKEN', 'tiny-token'],
    ['DATABASE_URL', 'mysql://user:hunter2@db/x'],
  ])('names %s in a config error without printing its secret', (name, value) => {
    let message = '';
    try {
      loadConfig({ ...base, [name]: value });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(name);
    expect(message).not.toContain(name === 'DATABASE_URL' ? 'hunter2' : value);
  });

  it('parses lists, booleans and numbers', () => {
    const c = loadConfig({
      ...base,
      REGIONS: 'eu, na ,ASIA',
      VARIANTS: 'standard',
      ACTIVE_GAME_CHECK: 'false',
      MATCH_TICK_MS: '100',
      ROLE: 'worker',
    });
    expect(c.regions).toEqual(['EU', 'NA', 'ASIA']);
    expect(c.variants).toEqual(['standard']);
    expect(c.activeGameCheck).toBe(false);
    expect(c.matchTickMs).toBe(100);
    expect(c.runsApi).toBe(false);
    expect(c.runsWorkers).toBe(true);
  });

  it('reads FORMATS (default 1v1,2v2) and PARTY_TTL_SECONDS (default 1800)', () => {
    expect(loadConfig(base)).toMatchObject({ formats: ['1v1', '2v2'], partyTtlSeconds: 1800 });
    expect(loadConfig({ ...base, FORMATS: ' 1v1, 3v3 ,5v5', PARTY_TTL_SECONDS: '5' })).toMatchObject({
      formats: ['1v1', '3v3', '5v5'],
      partyTtlSeconds: 5,
    });
  });

  it('requires JWT_SECRET outside development and has a fixed development key', () => {
    expect(() => loadConfig({})).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'development' }).jwt.secret).toBe(DEVELOPMENT_JWT_SECRET);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://x'],
    ['ROLE', 'both'],
    ['MATCH_TICK_MS', '1.5'],
    ['RATING_WINDOW_STEP_SECONDS', '0'],
    ['ACTIVE_GAME_CHECK', 'maybe'],
    ['REGIONS', 'EU,N A'],
    ['LIVE_GAME_API_URL', 'not a url'],
    ['GAME_CREATE_ATTEMPTS', '0'],
    ['JWT_SECRET', 'short'],
    ['VARIANTS', 'Standard'],
    ['RATE_LIMIT_CHALLENGES_PER_MINUTE', '0'],
    ['MAX_PENDING_CHALLENGES', 'many'],
    ['SSE_MAX_STREAMS_PER_USER', '0'],
    ['HTTP_HEADERS_TIMEOUT_MS', '5'],
    ['FORMATS', '1v1,2v3'],
    ['FORMATS', '1v1,6v6'],
    ['FORMATS', '2v2'],
    ['FORMATS', 'duo'],
    ['PARTY_TTL_SECONDS', '0'],
  ])('stops on %s=%s with a message naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ ...base, [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
  });

  it('refuses a maximum window below the initial one', () => {
    expect(() => loadConfig({ ...base, RATING_WINDOW_INITIAL: '300', RATING_WINDOW_MAX: '200' })).toThrow(
      /RATING_WINDOW_MAX/,
    );
  });
});
