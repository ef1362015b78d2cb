import autocannon from 'autocannon';
import { log, REDIS_URL, Scratch } from '../support/harness';
import { signToken } from '../support/tokens';
import { startLobbyRefresher } from './lobby-refresher';
import { JWT_SECRET } from './targets';

/**
 * The lobby (GET /v1/matchmaking/pools) beside the status read, same service, same run: it is served
 * from the tick-refreshed Redis cache, so it should cost no PostgreSQL query per request.
 */
export async function lobbyBeside(
  serviceUrl: string,
  scratch: Scratch,
  statusRps: number | undefined,
  opts: { connections: number; durationS: number; warmupS: number },
): Promise<void> {
  const lobby = await startLobbyRefresher(REDIS_URL, scratch.redisPrefix, 'default');
  try {
    const cannon: autocannon.Options = {
      url: `${serviceUrl}/v1/matchmaking/pools`,
      connections: opts.connections,
      headers: { authorization: `Bearer ${signToken(JWT_SECRET, 'lobby-viewer')}` },
    };
    if (opts.warmupS > 0) await autocannon({ ...cannon, duration: opts.warmupS });
    log(`  closed lobby service: ${opts.durationS} s`);
    const r = await autocannon({ ...cannon, duration: opts.durationS });
    const rps = r.requests.total / (r.duration || opts.durationS);
    const ratio = statusRps ? ` (${(rps / statusRps).toFixed(2)}× the status read's ${statusRps.toFixed(0)}/s)` : '';
    console.log(
      `\nLobby GET /v1/matchmaking/pools (${lobby.pools} pools): ${rps.toFixed(0)} req/s, ` +
        `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}${ratio}`,
    );
  } finally {
    await lobby.stop();
  }
}
