import Redis from 'ioredis';
import type { AppConfig } from '../../libs/config/src';
import { LobbyCacheRepository, LobbyLine } from '../../apps/matchmaking/src/lobby/lobby-cache.repository';

/** A busy tenant's lobby: every variant, mode and a dozen time controls. */
const VARIANTS = ['standard', 'chess960'];
const MODES = ['rated', 'casual'];
const TIME_CONTROLS = ['1+0', '2+1', '3+0', '3+2', '5+0', '5+3', '10+0', '10+5', '15+10', '30+0', '30+20', '60+0'];
/** The service's default MATCH_TICK_MS: how often a worker's tick rewrites its pool's line. */
const TICK_MS = 1000;

/**
 * Stands in for the workers' ticks (the bench service runs ROLE=api, whose entries must stay
 * SEARCHING): writes the tenant's lobby through the service's own cache repository every tick.
 */
export async function startLobbyRefresher(
  redisUrl: string,
  redisKeyPrefix: string,
  tenantId: string,
): Promise<{ pools: number; stop: () => Promise<void> }> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const cache = new LobbyCacheRepository(redis, { redisKeyPrefix } as AppConfig);
  const lines = VARIANTS.flatMap((variant) =>
    MODES.flatMap((mode) => TIME_CONTROLS.map((timeControl) => ({ variant, mode, timeControl }))),
  );
  const write = async () => {
    for (const [i, l] of lines.entries()) {
      const line: LobbyLine = {
        poolKey: `${l.variant}_${l.timeControl}_${l.mode}`,
        timeControl: l.timeControl,
        mode: l.mode,
        variant: l.variant,
        format: '1v1',
        waitingCount: 1 + ((i * 37) % 400),
        estimatedWaitSeconds: 1 + (i % 30),
        at: Date.now(),
      };
      await cache.put(tenantId, line, 60_000);
    }
  };
  await write();
  const timer = setInterval(() => void write().catch(() => undefined), TICK_MS);
  return {
    pools: lines.length,
    stop: async () => {
      clearInterval(timer);
      await redis.quit();
    },
  };
}
