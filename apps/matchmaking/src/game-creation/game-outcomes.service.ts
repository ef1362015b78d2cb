import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { EntryEventsService } from '../events/entry-events.service';
import { MatchRecord } from '@app/persistence';
import { MetricsService } from '../metrics/metrics.service';
import { PoolSchedulerService } from '../pools/pool-scheduler.service';
import { GameAttemptsRepository } from './game-attempts.repository';

type Listener = (match: MatchRecord) => Promise<void> | void;

/** What happens once a match's game exists or can never exist; challenges hook in here too. */
@Injectable()
export class GameOutcomesService {
  private readonly logger = new Logger(GameOutcomesService.name);
  private readonly listeners: Listener[] = [];

  constructor(
    private readonly attempts: GameAttemptsRepository,
    private readonly events: EntryEventsService,
    private readonly pools: PoolSchedulerService,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  onSettled(listener: Listener): void {
    this.listeners.push(listener);
  }

  async created(matchId: string, gameId: string): Promise<MatchRecord | null> {
    const done = await this.attempts.markCreated(matchId, gameId);
    if (!done) return null;
    await this.events.publish(done.entryIds);
    await this.notify(done.match);
    return done.match;
  }

  /**
   * `answered`: the failure is the live-game API's answer to the attempt just begun, which then made no
   * game (GameAttemptsRepository.begin); false when no call was made (the sweep) or its answer never came.
   */
  async failed(matchId: string, error: string, answered = false): Promise<MatchRecord | null> {
    const done = await this.attempts.markFailed(matchId, error, answered, {
      timeoutSeconds: this.config.queueTimeoutSeconds,
      failedMatchLimit: this.config.failedMatchLimit,
    });
    if (!done) return null;
    this.metrics.gameCreationFailed();
    const { requestId, unansweredAttempts } = done.match;
    this.logger.warn(
      { match_id: matchId, request_id: requestId, error, unanswered_attempts: unansweredAttempts },
      unansweredAttempts > 0
        ? 'game creation failed for good after calls whose answer never came: the live-game API may hold an orphaned game'
        : 'game creation failed for good',
    );
    await this.events.publish(done.entryIds);
    if (done.entryIds.length) await this.pools.ensure({ tenantId: done.match.tenantId, poolKey: done.match.poolKey });
    await this.notify(done.match);
    return done.match;
  }

  private async notify(match: MatchRecord): Promise<void> {
    for (const listener of this.listeners) await listener(match);
  }
}
