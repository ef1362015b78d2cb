import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '@app/config';
import { ChallengesService } from '../challenges/challenges.service';
import { EntryEventsService } from '../events/entry-events.service';
import { GameJobsRepository } from '../jobs/game-jobs.repository';
import { GameAttemptsRepository } from '../game-creation/game-attempts.repository';
import { GameOutcomesService } from '../game-creation/game-outcomes.service';
import { JOBS, QUEUES } from '../jobs/job-names';
import { PartiesService } from '../parties/parties.service';
import { QueueService } from '../queue/queue.service';

/** A PENDING match younger than this (or two live-game timeouts) is still in its first attempt, not stuck. */
const STUCK_MATCH_MIN_GRACE_MS = 10_000;

/** The periodic sweep: queue timeouts, challenge expiry, matches left PENDING by a process that died, idle parties. */
@Processor(QUEUES.maintenance)
export class SweepProcessor extends WorkerHost {
  private readonly logger = new Logger(SweepProcessor.name);

  constructor(
    private readonly queue: QueueService,
    private readonly attempts: GameAttemptsRepository,
    private readonly games: GameJobsRepository,
    private readonly outcomes: GameOutcomesService,
    private readonly events: EntryEventsService,
    private readonly challenges: ChallengesService,
    private readonly parties: PartiesService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name !== JOBS.sweep) return undefined;
    const timedOut = await this.queue.timeOutExpired();
    if (timedOut.length) {
      await this.events.publish(timedOut.map((e) => e.id));
      this.logger.log({ timed_out: timedOut.length }, 'queue entries timed out');
    }
    const expiredChallenges = await this.challenges.expireOverdue();
    const resumed = await this.resumeStuckMatches();
    const disbandedParties = await this.parties.disbandIdle();
    return { timedOut: timedOut.length, expiredChallenges, resumed, disbandedParties };
  }

  /**
   * A PENDING match whose job is gone (a crash between claim and enqueue) or finished without
   * settling it gets a job again; a job still waiting or running is left alone, however late. A
   * failed job fails its match only once the live-game API had all its attempts: a PostgreSQL outage
   * also fails jobs (begin or settle throws), and failing the match then would orphan a game the
   * API may already have created. The retry carries the same idempotency key.
   */
  private async resumeStuckMatches(): Promise<number> {
    const graceSeconds = Math.ceil(Math.max(STUCK_MATCH_MIN_GRACE_MS, 2 * this.config.liveGame.timeoutMs) / 1000);
    let resumed = 0;
    for (const match of await this.attempts.pendingOlderThan(graceSeconds)) {
      const state = await this.games.state(match.id);
      if (state === 'failed' && match.attempts >= this.config.liveGame.attempts) {
        await this.outcomes.failed(match.id, match.lastError ?? 'game creation job failed');
      } else if (state === null || state === 'completed' || state === 'failed') {
        await this.games.replace({ matchId: match.id, requestId: match.requestId });
        resumed++;
      }
    }
    if (resumed) this.logger.warn({ resumed }, 'game creation resumed for stuck matches');
    return resumed;
  }
}
