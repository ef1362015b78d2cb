import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import {
  DEFAULT_FORMAT,
  formatCategory,
  formatTimeControl,
  isTeamFormat,
  normalizeRegion,
  parseTimeControl,
  poolKey,
  ratingCategory,
} from '@app/core';
import { Player } from '../auth/principal';
import { EntryEventsService } from '../events/entry-events.service';
import { PartyEventsService } from '../events/party-events.service';
import { MatchPlayerRecord, MatchRecord, QueueEntry, QueueEntryView } from '@app/persistence';
import { MatchesRepository } from '../matches/matches.repository';
import { TeamMatchesRepository } from '../matches/team-matches.repository';
import { PoolSchedulerService } from '../pools/pool-scheduler.service';
import { invalid, notFound, ProblemException } from '../common/problem';
import { JoinQueueRequest } from './queue.dto';
import { NewQueueEntry, QueueRepository } from './queue.repository';
import { TicketsService } from './tickets.service';

@Injectable()
export class QueueService {
  private readonly logger = new Logger(QueueService.name);

  constructor(
    private readonly queue: QueueRepository,
    private readonly matches: MatchesRepository,
    private readonly teamMatches: TeamMatchesRepository,
    private readonly pools: PoolSchedulerService,
    private readonly events: EntryEventsService,
    private readonly partyEvents: PartyEventsService,
    private readonly tickets: TicketsService,
    private readonly config: AppConfig,
  ) {}

  async join(player: Player, req: JoinQueueRequest, requestId: string | null): Promise<QueueEntry> {
    const tc = parseTimeControl(req.time_control)!;
    const mode = req.mode ?? this.config.defaultMode;
    const variant = req.variant ?? 'standard';
    if (!this.config.variants.includes(variant)) {
      throw invalid('variant', `must be one of ${this.config.variants.join(', ')}`);
    }
    const region = req.region === undefined ? null : normalizeRegion(req.region);
    if (region && this.config.regions && !this.config.regions.includes(region)) {
      throw invalid('region', `must be one of ${this.config.regions.join(', ')}`);
    }
    const format = req.format ?? DEFAULT_FORMAT;
    if (!this.config.formats.includes(format)) {
      throw invalid('format', `must be one of ${this.config.formats.join(', ')}`);
    }
    if (format === DEFAULT_FORMAT && req.party_id !== undefined) {
      throw invalid('format', 'a party queues in its team format');
    }
    const pool = poolKey(variant, tc, mode, format);
    const tickSeconds = Math.ceil(this.config.matchTickMs / 1000);
    const fallbackSeconds = tickSeconds + 3 * this.config.matching.windowStepSeconds;
    const common = {
      poolKey: pool,
      timeControl: formatTimeControl(tc),
      mode,
      variant,
      category: formatCategory(ratingCategory(variant, tc), format),
      region,
      timeoutSeconds: this.config.queueTimeoutSeconds,
      clientMetadata: req.client_metadata ?? null,
      requestId,
    };
    const entry =
      format === DEFAULT_FORMAT
        ? await this.joinOne(player, common, tickSeconds, fallbackSeconds)
        : await this.tickets.join(player, {
            ...common,
            format,
            partyId: req.party_id ?? null,
            estimatedWaitSeconds: fallbackSeconds,
          });
    // The entry is committed: a Redis hiccup here must not turn the 201 into a 503 (reconcile restores the tick).
    await this.pools
      .ensure({ tenantId: player.tenantId, poolKey: pool })
      .catch((error) => this.logger.warn({ err: error, pool_key: pool }, 'pool tick not ensured; reconcile will'));
    this.pools.nudge({ tenantId: player.tenantId, poolKey: pool });
    return entry;
  }

  private async joinOne(
    player: Player,
    common: Omit<NewQueueEntry, 'tenantId' | 'userId' | 'username' | 'nearWindow' | 'refuseDuringGame'>,
    tickSeconds: number,
    fallbackSeconds: number,
  ): Promise<QueueEntry> {
    const result = await this.queue.insertSearching(
      {
        ...common,
        tenantId: player.tenantId,
        userId: player.userId,
        username: player.username,
        nearWindow: this.config.matching.windowInitial,
        refuseDuringGame: this.config.activeGameCheck,
      },
      tickSeconds,
      fallbackSeconds,
    );
    if ('activeGame' in result) {
      throw new ProblemException(409, 'ACTIVE_GAME_EXISTS', 'your last game has no result yet', {
        match_id: result.activeGame.id,
        game_id: result.activeGame.gameId,
      });
    }
    if ('existingId' in result) {
      throw new ProblemException(409, 'ALREADY_IN_QUEUE', 'you already have an open queue entry', {
        queue_entry_id: result.existingId,
      });
    }
    return result.entry;
  }

  async get(player: Player, id: string): Promise<QueueEntryView> {
    const entry = await this.queue.findForUser(player.tenantId, player.userId, id);
    if (!entry) throw notFound('queue entry');
    return entry;
  }

  /** Idempotent: cancelling a cancelled entry answers it again; other ended states cannot be cancelled. */
  async cancel(player: Player, id: string): Promise<QueueEntryView> {
    const cancelled = await this.queue.cancelSearching(id, player.tenantId, player.userId, 'user');
    if (cancelled) {
      await this.events.publish([cancelled.id]);
      // The trigger made the ticket's party OPEN again.
      if (cancelled.partyId) await this.partyEvents.publish([cancelled.partyId]);
      return cancelled;
    }
    const entry = await this.get(player, id);
    if (entry.status === 'CANCELLED') return entry;
    throw new ProblemException(409, 'CANNOT_CANCEL', `a ${entry.status} entry cannot be cancelled`);
  }

  async open(player: Player): Promise<QueueEntry | null> {
    return this.queue.findOpen(player.tenantId, player.userId);
  }

  /**
   * The user's current match: paired, game being created, or a game without a result that may still run;
   * a team match with its players.
   */
  async currentMatch(player: Player): Promise<{ match: MatchRecord; players: MatchPlayerRecord[] } | null> {
    const match = await this.matches.unfinishedGameOf(player.tenantId, player.userId);
    if (!match) return null;
    const players = isTeamFormat(match.format)
      ? ((await this.teamMatches.playersOf([match.id])).get(match.id) ?? [])
      : [];
    return { match, players };
  }

  async timeOutExpired(): Promise<QueueEntry[]> {
    const timedOut = await this.queue.timeOutExpired();
    await this.partyEvents.publish(timedOut.flatMap((e) => (e.partyId ? [e.partyId] : [])));
    return timedOut;
  }
}
