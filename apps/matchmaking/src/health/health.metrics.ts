import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { MetricsService } from '../metrics/metrics.service';
import { HealthController } from './health.controller';

/**
 * Gauges the alert rules need, read at scrape time: whether this replica's readiness check passes
 * (the kubelet sees the same answer), the tick interval, and how many matches wait for their game and for how long.
 */
@Injectable()
export class HealthMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly moduleRef: ModuleRef,
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const health = this.moduleRef.get(HealthController);
    const db = this.db;
    new Gauge({
      name: 'matchmaking_ready',
      help: '1 when GET /health/ready of this replica answers 200, else 0 (also 0 from SIGTERM on)',
      registers: [this.metrics.registry],
      async collect() {
        this.set(
          await health.ready().then(
            () => 1,
            () => 0,
          ),
        );
      },
    });
    // The tick-duration alert compares against the configured interval, so it follows MATCH_TICK_MS.
    new Gauge({
      name: 'matchmaking_tick_interval_seconds',
      help: 'MATCH_TICK_MS of this replica, in seconds',
      registers: [this.metrics.registry],
    }).set(this.config.matchTickMs / 1000);
    new Gauge({
      name: 'matchmaking_pending_matches',
      help: 'Matches whose game is not created yet (status PENDING), read from PostgreSQL at scrape time',
      registers: [this.metrics.registry],
      async collect() {
        const [row]: { n: number }[] = await db.query(
          `SELECT count(*)::int AS n FROM matches WHERE status = 'PENDING'`,
        );
        this.set(row.n);
      },
    });
    new Gauge({
      name: 'matchmaking_oldest_pending_match_age_seconds',
      help: 'Age of the oldest PENDING match (0 when none), read from PostgreSQL at scrape time',
      registers: [this.metrics.registry],
      async collect() {
        const [row]: { age: number }[] = await db.query(
          `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age FROM matches WHERE status = 'PENDING'`,
        );
        this.set(row.age);
      },
    });
  }
}
