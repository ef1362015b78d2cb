import { Injectable } from '@nestjs/common';
import { isTeamFormat } from '@app/core';
import { notFound, ProblemException } from '../common/problem';
import { TenantScope } from '../auth/tenant-scope';
import { EntryEventsService } from '../events/entry-events.service';
import { QueueEntry } from '@app/persistence';
import { TeamMatchesRepository } from '../matches/team-matches.repository';
import { QueueRepository } from '../queue/queue.repository';
import { AdminRepository } from './admin.repository';
import { MatchRecordDto, QueuesSummaryDto } from './admin.dto';
import { presentMatchRecord } from './match-record.presenter';

export const DEFAULT_LIMIT = 50;

@Injectable()
export class AdminService {
  constructor(
    private readonly admin: AdminRepository,
    private readonly queue: QueueRepository,
    private readonly events: EntryEventsService,
    private readonly teamMatches: TeamMatchesRepository,
  ) {}

  async summary(scope: TenantScope): Promise<QueuesSummaryDto> {
    const { now, pools } = await this.admin.summary(scope.tenantId);
    return { timestamp: new Date(now).toISOString(), queues: pools };
  }

  waiting(scope: TenantScope, poolKey: string, limit = DEFAULT_LIMIT): Promise<QueueEntry[]> {
    return this.admin.waiting(scope.tenantId, poolKey, limit);
  }

  /** Same rules as a player's cancel, for any entry of the caller's tenants: SEARCHING → CANCELLED (admin). */
  async cancel(scope: TenantScope, id: string): Promise<QueueEntry> {
    const cancelled = await this.queue.cancelSearching(id, scope.tenantId, null, 'admin');
    if (cancelled) {
      await this.events.publish([cancelled.id]);
      return cancelled;
    }
    const entry = await this.queue.findInScope(scope.tenantId, id);
    if (!entry) throw notFound('queue entry');
    if (entry.status === 'CANCELLED') return entry;
    throw new ProblemException(409, 'CANNOT_CANCEL', `a ${entry.status} entry cannot be cancelled`);
  }

  async matches(scope: TenantScope, status: string | null, limit = DEFAULT_LIMIT): Promise<MatchRecordDto[]> {
    const matches = await this.admin.recentMatches(scope.tenantId, status, limit);
    const players = await this.teamMatches.playersOf(matches.filter((m) => isTeamFormat(m.format)).map((m) => m.id));
    return matches.map((m) => presentMatchRecord(m, players.get(m.id)));
  }
}
