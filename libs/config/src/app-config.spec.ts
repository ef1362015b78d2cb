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
    });
    expect(c.queueTimeoutSeconds).toBe(600);
    expect(c.timeoutSweepMs).toBe(5000);
    expect(c.challengeTtlSeconds).toBe(300);
    expect(c.activeGameCheck).toBe(true);
    expect(c.regions).toBeNull();
    expect(c.variants).toEqual(['standard', 'chess960']);
    expect(c.rateLimitJoinsPerMinute).toBe(20);
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
