import path from 'path';
import { envInt } from '../support/harness';

/** What every simulation mode shares: the players' world and the knobs read from SIM_* env. */

export const JWT_SECRET = 'sim-jwt-secret-0123456789abcdef';
export const INTERNAL_API_KEY = 'sim-internal-api-key-0123456789';
export const REGIONS = ['EU', 'NA', 'ASIA', 'SA'];
export const TIME_CONTROLS: Array<{ tc: string; category: string; weight: number }> = [
  { tc: '5+0', category: 'blitz', weight: 0.4 },
  { tc: '3+2', category: 'blitz', weight: 0.3 },
  { tc: '10+0', category: 'rapid', weight: 0.2 },
  { tc: '1+0', category: 'bullet', weight: 0.1 },
];
export const TERMINAL = new Set(['MATCHED', 'CANCELLED', 'TIMED_OUT']);
/** The service's tick in every simulation: short enough that waits measure the matcher, not the clock. */
export const SIM_TICK_MS = 250;

export const reportsDir = (): string => process.env.SIM_REPORT_DIR ?? path.join(process.cwd(), 'reports');

export interface SimSettings {
  players: number;
  durationS: number;
  arrivalRate: number;
  thinkS: number;
  pollMs: number;
  cancelShare: number;
  queueTimeoutS: number;
  gameMinMs: number;
  gameMaxMs: number;
  seed: number;
  maxInFlight: number;
  serviceExtra: string;
  watchMode: 'poll' | 'sse' | 'mixed';
}

export function readSettings(defaults: Partial<SimSettings> = {}): SimSettings {
  const players = envInt('SIM_PLAYERS', defaults.players ?? 2000);
  const durationS = envInt('SIM_DURATION_S', defaults.durationS ?? 60);
  const watchMode = process.env.SIM_WATCH ?? 'mixed';
  if (watchMode !== 'poll' && watchMode !== 'sse' && watchMode !== 'mixed')
    throw new Error(`SIM_WATCH=${watchMode}: expected poll, sse or mixed`);
  return {
    players,
    durationS,
    arrivalRate: envInt('SIM_ARRIVAL_RATE', defaults.arrivalRate ?? players / Math.max(1, durationS / 2)),
    thinkS: envInt('SIM_THINK_S', defaults.thinkS ?? 10),
    pollMs: envInt('SIM_POLL_MS', 1000),
    cancelShare: envInt('SIM_CANCEL_SHARE', 0.05),
    queueTimeoutS: envInt('SIM_QUEUE_TIMEOUT_S', 45),
    gameMinMs: envInt('SIM_GAME_MIN_MS', 3000),
    gameMaxMs: envInt('SIM_GAME_MAX_MS', 8000),
    seed: envInt('SIM_SEED', 42),
    maxInFlight: Math.max(1, envInt('SIM_MAX_INFLIGHT', defaults.maxInFlight ?? 64)),
    serviceExtra: process.env.SIM_SERVICE_ENV ?? '',
    watchMode,
  };
}

/** "K=V,K=V" → env overrides for the service. */
export function parseExtraEnv(raw: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const part of (raw ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq > 0) env[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return env;
}

/** An exponential draw with the given mean (Poisson gaps, breaks). */
export function exp(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}
