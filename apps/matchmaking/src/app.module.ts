import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AppConfig } from '@app/config';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { ChallengesModule } from './challenges/challenges.module';
import { AfterRoutes } from './common/after-routes';
import { ProblemFilter } from './common/problem.filter';
import { validationPipe } from './common/validation';
import { HealthModule } from './health/health.module';
import { MatchHistoryModule } from './history/match-history.module';
import { ConfigModule } from './infra/config.module';
import { DatabaseModule } from './infra/database.module';
import { LoggingModule } from './infra/logging.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LobbyModule } from './lobby/lobby.module';
import { RedisModule } from './infra/redis.module';
import { JobsModule } from './jobs/jobs.module';
import { EventsModule } from './events/events.module';
import { GameCreationWorkerModule } from './game-creation/game-creation.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MatchingWorkerModule } from './matching/matching.module';
import { MetricsModule } from './metrics/metrics.module';
import { PoolsWorkerModule } from './pools/pools.module';
import { PartiesModule } from './parties/parties.module';
import { PlayersModule } from './players/players.module';
import { QueueModule } from './queue/queue.module';
import { RatingsModule } from './ratings/ratings.module';
import { ResultsModule } from './results/results.module';

/** One image, two roles: `api` serves HTTP, `worker` runs the BullMQ processors, `all` does both. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const workers: Type[] = config.runsWorkers
      ? [MatchingWorkerModule, GameCreationWorkerModule, MaintenanceModule, PoolsWorkerModule]
      : [];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        LifecycleModule,
        DatabaseModule,
        RedisModule,
        JobsModule,
        AuthModule,
        // Express tries routes in the order they were registered, which is this order: the queue's
        // first, as its status read is the hottest route (each route tried before it costs every read).
        QueueModule,
        HealthModule,
        PlayersModule,
        MatchHistoryModule,
        LobbyModule,
        EventsModule,
        PartiesModule,
        ResultsModule,
        ChallengesModule,
        RatingsModule,
        AdminModule,
        MetricsModule,
        ...workers,
      ],
      providers: [
        AfterRoutes,
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: validationPipe },
      ],
    };
  }
}
