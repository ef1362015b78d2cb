import { DataSourceOptions } from 'typeorm';
import { QueueAndRatings1732170000000 } from './migrations/1732170000000-queue-and-ratings';
import { Matches1732180000000 } from './migrations/1732180000000-matches';
import { Challenges1732190000000 } from './migrations/1732190000000-challenges';
import { AdminIndexes1732200000000 } from './migrations/1732200000000-admin-indexes';
import { SearchingByRating1732210000000 } from './migrations/1732210000000-searching-by-rating';
import { CanonicalTimeControls1732215000000 } from './migrations/1732215000000-canonical-time-controls';
import { FailedMatches1732220000000 } from './migrations/1732220000000-failed-matches';
import { PlayerReads1732230000000 } from './migrations/1732230000000-player-reads';
import { UnansweredAttempts1732235000000 } from './migrations/1732235000000-unanswered-attempts';
import { PartiesAndTickets1732240000000 } from './migrations/1732240000000-parties-and-tickets';
import { TeamMatches1732250000000 } from './migrations/1732250000000-team-matches';
import { ClaimSkipsTicketTrigger1732260500000 } from './migrations/1732260500000-claim-skips-ticket-trigger';

export const MIGRATIONS = [
  QueueAndRatings1732170000000,
  Matches1732180000000,
  Challenges1732190000000,
  AdminIndexes1732200000000,
  SearchingByRating1732210000000,
  CanonicalTimeControls1732215000000,
  FailedMatches1732220000000,
  PlayerReads1732230000000,
  UnansweredAttempts1732235000000,
  PartiesAndTickets1732240000000,
  TeamMatches1732250000000,
  ClaimSkipsTicketTrigger1732260500000,
];

export function dataSourceOptions(url: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // Queries go through Database (raw SQL on TypeORM's pool); TypeORM runs the migrations.
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    poolSize,
    extra: { connectionTimeoutMillis: 3000, idleTimeoutMillis: 30000 },
  };
}
