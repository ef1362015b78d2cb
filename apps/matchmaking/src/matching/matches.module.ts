import { Module } from '@nestjs/common';
import { MatchesRepository } from './matches.repository';
import { PoolSchedulerService } from './pool-scheduler.service';

/** Match records and pool schedulers, shared by the api (joins, results) and the workers (ticks). */
@Module({ providers: [MatchesRepository, PoolSchedulerService], exports: [MatchesRepository, PoolSchedulerService] })
export class MatchesModule {}
