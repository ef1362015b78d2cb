import { Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QueueDepthRepository } from './queue-depth.repository';

export type GameCreationOutcome = 'created' | 'retryable_error' | 'error';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const WAIT_SECONDS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800];
const RATING_GAP = [0, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500];
const PAIRS = [0, 1, 2, 5, 10, 20, 50, 100, 500, 1000, 5000];

/**
 * Prometheus metrics of one process. Each app instance has a registry of its own, so several apps in
 * one process (the tests) never share or double-register series.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly tickDuration = new Histogram({
    name: 'matchmaking_tick_duration_seconds',
    help: 'Duration of one matching tick of one pool (read, pair, claim, fan out)',
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly pairsPerTick = new Histogram({
    name: 'matchmaking_pairs_per_tick',
    help: 'Pairs claimed by one matching tick',
    buckets: PAIRS,
    registers: [this.registry],
  });

  readonly matchWait = new Histogram({
    name: 'matchmaking_match_wait_seconds',
    help: 'Mean wait of the two players of a claimed pair, by pool',
    labelNames: ['pool_key'] as const,
    buckets: WAIT_SECONDS,
    registers: [this.registry],
  });

  readonly ratingGap = new Histogram({
    name: 'matchmaking_match_rating_gap',
    help: 'Rating gap of a claimed match (between team ratings for a team format), by format',
    labelNames: ['format'],
    buckets: RATING_GAP,
    registers: [this.registry],
  });

  readonly gameCreationAttempts = new Counter({
    name: 'matchmaking_game_creation_attempts_total',
    help: 'Calls to the live-game API by outcome (created, retryable_error, error)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly gameCreationFailures = new Counter({
    name: 'matchmaking_game_creation_failures_total',
    help: 'Matches whose game creation failed for good',
    registers: [this.registry],
  });

  readonly gameCreationLatency = new Histogram({
    name: 'matchmaking_game_creation_duration_seconds',
    help: 'Latency of one live-game API call by outcome',
    labelNames: ['outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  constructor(depth: QueueDepthRepository) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'matchmaking_queue_depth',
      help: 'SEARCHING entries per tenant, pool and region (ANY = no region), read from PostgreSQL at scrape time',
      labelNames: ['tenant_id', 'pool_key', 'region'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await depth.searching();
        this.reset();
        for (const r of rows) this.set({ tenant_id: r.tenantId, pool_key: r.poolKey, region: r.region }, r.waiting);
      },
    });
  }

  observeTick(durationSeconds: number, claimedPairs: number): void {
    this.tickDuration.observe(durationSeconds);
    this.pairsPerTick.observe(claimedPairs);
  }

  observeMatch(poolKey: string, format: string, meanWaitSeconds: number, ratingGap: number): void {
    this.matchWait.observe({ pool_key: poolKey }, meanWaitSeconds);
    this.ratingGap.observe({ format }, ratingGap);
  }

  observeGameCreation(outcome: GameCreationOutcome, durationSeconds: number): void {
    this.gameCreationLatency.observe({ outcome }, durationSeconds);
    this.gameCreationAttempts.inc({ outcome });
  }

  gameCreationFailed(): void {
    this.gameCreationFailures.inc();
  }

  /**
   * One answered request `started` at its performance.now(), labelled by the Nest route pattern
   * (`/v1/matchmaking/queue/:id`), never the raw URL, so ids do not explode the label set; unrouted
   * requests share one label. Called when a response closes, by the first middleware of the app
   * (bootstrap.ts), for every request whose response was sent in full.
   */
  observeRequest(req: Request, res: Response, started: number): void {
    const labels = { method: req.method, route: routeOf(req), status_code: String(res.statusCode) };
    this.httpDuration.observe(labels, (performance.now() - started) / 1000);
  }
}

function routeOf(req: Request): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string') return `${req.baseUrl ?? ''}${pattern}`;
  if (/^\/internal\/jobs(\/|$)/.test(req.originalUrl)) return '/internal/jobs';
  return 'unmatched';
}
