import { Module } from '@nestjs/common';
import { PoolSchedulerService } from './pool-scheduler.service';
import { PoolsRepository } from './pools.repository';
import { ReconcileService } from './reconcile.service';

/** Which pools tick: the joins start a pool's scheduler, the tick stops it, reconcile restores it. */
@Module({ providers: [PoolsRepository, PoolSchedulerService], exports: [PoolSchedulerService] })
export class PoolsModule {}

/** The worker side: schedulers restored from PostgreSQL after a Redis loss. */
@Module({ imports: [PoolsModule], providers: [ReconcileService] })
export class PoolsWorkerModule {}
