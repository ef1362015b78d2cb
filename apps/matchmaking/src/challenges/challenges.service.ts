import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { chooseWhite, formatTimeControl, parseTimeControl, poolKey, ratingCategory } from '@app/core';
import { Player } from '../auth/principal';
import { forbidden, invalid, notFound, ProblemException, RateLimitedException } from '../common/problem';
import { EntryEventsService } from '../events/entry-events.service';
import { GameJobsRepository } from '../jobs/game-jobs.repository';
import { GameOutcomesService } from '../game-creation/game-outcomes.service';
import { Challenge, DeclineReason, MatchRecord } from '@app/persistence';
import { MatchesRepository } from '../matches/matches.repository';
import { ChallengeMatchesRepository } from './challenge-matches.repository';
import { QueueRepository } from '../queue/queue.repository';
import { CreateChallengeRequest } from './challenges.dto';
import { ChallengesRepository } from './challenges.repository';
import { MatchSettledEvents } from './match-settled.events';

/** How often a waiting accept re-reads the match, in case a settled message was lost. */
const SETTLED_POLL_MS = 100;
const SUBSCRIBE_WITHIN_MS = 250;

const invalidState = (c: Challenge) =>
  new ProblemException(409, 'INVALID_STATE', `the challenge is ${c.status}, not PENDING`, {
    challenge_status: c.status,
  });

@Injectable()
export class ChallengesService implements OnModuleInit {
  private readonly logger = new Logger(ChallengesService.name);

  constructor(
    private readonly challenges: ChallengesRepository,
    private readonly matches: MatchesRepository,
    private readonly challengeMatches: ChallengeMatchesRepository,
    private readonly queue: QueueRepository,
    private readonly games: GameJobsRepository,
    private readonly outcomes: GameOutcomesService,
    private readonly entryEvents: EntryEventsService,
    private readonly settled: MatchSettledEvents,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.outcomes.onSettled((match) => this.onMatchSettled(match));
  }

  async create(player: Player, req: CreateChallengeRequest, requestId: string | null): Promise<Challenge> {
    if (req.opponent_user_id === player.userId) {
      throw new ProblemException(400, 'SELF_CHALLENGE', 'you cannot challenge yourself');
    }
    const tc = parseTimeControl(req.time_control)!;
    const variant = req.variant ?? 'standard';
    if (!this.config.variants.includes(variant)) {
      throw invalid('variant', `must be one of ${this.config.variants.join(', ')}`);
    }
    const inserted = await this.challenges.replaceAndInsert(
      {
        tenantId: player.tenantId,
        challengerUserId: player.userId,
        challengerUsername: player.username,
        opponentUserId: req.opponent_user_id,
        timeControl: formatTimeControl(tc),
        mode: req.mode ?? this.config.defaultMode,
        variant,
        category: ratingCategory(variant, tc),
        preferredColor: req.preferred_color ?? 'random',
        ttlSeconds: this.config.challengeTtlSeconds,
        requestId,
      },
      this.config.maxPendingChallenges,
    );
    if ('limited' in inserted) {
      const { count, firstExpiresInSeconds } = inserted.limited;
      throw new RateLimitedException(
        `you have ${count} pending challenges, the most allowed; withdraw one or wait for one to expire`,
        firstExpiresInSeconds,
      );
    }
    return inserted.challenge;
  }

  async get(player: Player, id: string): Promise<Challenge> {
    const challenge = await this.challenges.findForParticipant(player.tenantId, player.userId, id);
    if (!challenge) throw notFound('challenge');
    return challenge;
  }

  async list(player: Player, side: 'incoming' | 'outgoing'): Promise<Challenge[]> {
    return this.challenges.listPending(player.tenantId, player.userId, side);
  }

  /**
   * One transaction: the challenge goes PENDING → ACCEPTED (exactly one of racing accepts wins), both
   * players leave the queue, and the match is inserted. Then the game job is enqueued and the answer
   * waits up to ACCEPT_WAIT_MS for the game.
   */
  async accept(player: Player, id: string, requestId: string | null): Promise<Challenge> {
    const challenge = await this.get(player, id);
    if (challenge.challengerUserId === player.userId) throw forbidden('only the challenged player can accept');
    if (challenge.status !== 'PENDING') throw invalidState(challenge);
    const { tenantId } = player;
    const challenger = challenge.challengerUserId;
    const users = [challenger, player.userId];
    const challengerWhite = await this.challengerPlaysWhite(challenge);
    const tc = parseTimeControl(challenge.timeControl)!;

    const { match, cancelledEntries } = await this.challenges.transaction(async (tx) => {
      await this.challenges.lockPlayers(tx, tenantId, users);
      if (!(await this.challenges.markAccepted(tx, tenantId, player.userId, id))) {
        throw invalidState((await this.challenges.findForParticipant(tenantId, player.userId, id, tx)) ?? challenge);
      }
      const cancelled = await this.queue.cancelSearchingOfUsers(tx, tenantId, users, 'challenge_accepted');
      for (const userId of users) {
        const game = await this.matches.unfinishedGameOf(tenantId, userId, tx);
        if (game) {
          throw new ProblemException(
            409,
            'CANNOT_ACCEPT',
            `${userId === player.userId ? 'you are' : 'the challenger is'} still in a game`,
            { match_id: game.id },
          );
        }
      }
      const ratings = await this.challenges.ratingsIn(tx, tenantId, users, challenge.category);
      const sides = {
        challenger: { userId: challenger, username: challenge.challengerUsername, rating: ratings.get(challenger)! },
        opponent: { userId: player.userId, username: player.username, rating: ratings.get(player.userId)! },
      };
      const inserted = await this.challengeMatches.insertMatch(tx, {
        tenantId,
        challengeId: id,
        poolKey: poolKey(challenge.variant, tc, challenge.mode as 'rated' | 'casual'),
        timeControl: challenge.timeControl,
        mode: challenge.mode,
        variant: challenge.variant,
        category: challenge.category,
        white: challengerWhite ? sides.challenger : sides.opponent,
        black: challengerWhite ? sides.opponent : sides.challenger,
        requestId,
      });
      await this.challenges.attachMatch(tx, id, inserted.id);
      return { match: inserted, cancelledEntries: cancelled };
    });

    await this.entryEvents.publish(cancelledEntries);
    await this.createGameWithin(match, requestId, this.config.acceptWaitMs);
    return this.get(player, id);
  }

  async decline(player: Player, id: string, reason: DeclineReason | undefined): Promise<Challenge> {
    const challenge = await this.get(player, id);
    if (challenge.challengerUserId === player.userId) throw forbidden('only the challenged player can decline');
    const declined = await this.challenges.end(
      player.tenantId,
      id,
      { column: 'opponent_user_id', userId: player.userId },
      'DECLINED',
      reason ?? 'generic',
    );
    if (!declined) throw invalidState(await this.get(player, id));
    return declined;
  }

  async withdraw(player: Player, id: string): Promise<Challenge> {
    const challenge = await this.get(player, id);
    if (challenge.opponentUserId === player.userId)
      throw forbidden('only the challenger can withdraw; decline instead');
    const cancelled = await this.challenges.end(
      player.tenantId,
      id,
      { column: 'challenger_user_id', userId: player.userId },
      'CANCELLED',
      null,
    );
    if (!cancelled) throw invalidState(await this.get(player, id));
    return cancelled;
  }

  async expireOverdue(): Promise<number> {
    const expired = await this.challenges.expireOverdue();
    if (expired.length) this.logger.log({ expired: expired.length }, 'challenges expired');
    return expired.length;
  }

  /** The challenger's preference; `random` follows the colour-balance rule of the queue. */
  private async challengerPlaysWhite(c: Challenge): Promise<boolean> {
    if (c.preferredColor !== 'random') return c.preferredColor === 'white';
    const history = await this.matches.colorHistory(c.tenantId, [c.challengerUserId, c.opponentUserId]);
    const of = (userId: string) => ({
      userId,
      recentWhites: history.get(userId)?.whites ?? 0,
      recentGames: history.get(userId)?.games ?? 0,
    });
    return chooseWhite(of(c.challengerUserId), of(c.opponentUserId), Math.random) === 'a';
  }

  /**
   * Enqueues the game job and waits until the match settles or `waitMs` passes. The worker may run in
   * another process: its settled message wakes us early, and a short poll covers a lost message.
   */
  private async createGameWithin(match: MatchRecord, requestId: string | null, waitMs: number): Promise<void> {
    const deadline = Date.now() + waitMs;
    let signalled = false;
    let wake = () => undefined as void;
    const stop =
      waitMs > 0
        ? await this.settled.listen(
            match.id,
            () => {
              signalled = true;
              wake();
            },
            Math.min(SUBSCRIBE_WITHIN_MS, waitMs),
          )
        : () => undefined;
    try {
      // A failed enqueue is not lost: the sweep re-enqueues PENDING matches without a job.
      await this.games
        .enqueue([{ matchId: match.id, requestId }])
        .catch((error) =>
          this.logger.warn({ err: error, match_id: match.id }, 'could not enqueue game creation; the sweep will'),
        );
      while (Date.now() < deadline) {
        const current = await this.matches.find(match.id);
        if (!current || current.status !== 'PENDING') return;
        await new Promise<void>((resolve) => {
          if (signalled) return resolve();
          const timer = setTimeout(resolve, Math.max(0, Math.min(SETTLED_POLL_MS, deadline - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        signalled = false;
      }
    } finally {
      stop();
    }
  }

  /** Keeps the challenge row in step with its match, and wakes any accept waiting on it. */
  private async onMatchSettled(match: MatchRecord): Promise<void> {
    if (match.source !== 'challenge') return;
    try {
      await this.challenges.syncWithMatch(match.id, match.gameId, match.status === 'FAILED');
    } catch (error) {
      this.logger.warn({ err: error, match_id: match.id }, 'could not sync the challenge with its match');
    }
    await this.settled.publish([match.id]);
  }
}
