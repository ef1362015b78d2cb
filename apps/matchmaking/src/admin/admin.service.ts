import { Injectable } from '@nestjs/common';
import { notFound, ProblemException } from '../common/problem';
import { TenantScope } from '../auth/tenant-scope';
import { EntryEventsService } from '../events/entry-events.service';
import { MatchRecord, QueueEntry } from '@app/persistence';
import { QueueRepository } from '../queue/queue.repository';
import { AdminRepository } from './admin.repository';
import { QueuesSummaryDto } from './admin.dto';

export const DEFAULT_LIMIT = 50;

@Injectable()
export class AdminService {
  constructor(
    private readonly admin: AdminRepository,
    private readonly queue: QueueRepository,
    private readonly events: EntryEventsService,
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

  matches(scope: TenantScope, status: string | null, limit = DEFAULT_LIMIT): Promise<MatchRecord[]> {
    return this.admin.recentMatches(scope.tenantId, status, limit);
  }
}
