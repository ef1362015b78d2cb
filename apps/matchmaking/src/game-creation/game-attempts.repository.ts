import { Injectable } from '@nestjs/common';
import { Database, MATCH_COLUMNS, MatchRecord, toMatch } from '@app/persistence';

export interface SettledMatch {
  match: MatchRecord;
  /** The queue entries that changed with it (none for a challenge). */
  entryIds: string[];
}

/** A match's way to its game: attempts counted, then CREATED or FAILED with its queue entries, atomically. */
@Injectable()
export class GameAttemptsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Counts one more attempt and returns the match, or null when it is no longer PENDING. The attempt is
   * counted as unanswered until its answer is recorded (`answered`): a call whose answer never comes —
   * a timeout, a lost connection, a worker killed mid-call, or PostgreSQL gone when the answer is to be
   * written — may have created the game, and then stays counted.
   */
  async begin(id: string): Promise<MatchRecord | null> {
    const rows = await this.db.rows(
      `UPDATE matches SET attempts = attempts + 1, unanswered_attempts = unanswered_attempts + 1, updated_at = now()
       WHERE id = $1 AND status = 'PENDING' RETURNING ${MATCH_COLUMNS}`,
      [id],
    );
    return rows.length ? toMatch(rows[0]) : null;
  }

  /** A failed attempt; `answered`: the live-game API answered it (so it made no game), take back its count. */
  async noteError(id: string, error: string, answered: boolean): Promise<void> {
    await this.db.count(
      `UPDATE matches SET last_error = $2, unanswered_attempts = unanswered_attempts - $3::int, updated_at = now()
       WHERE id = $1`,
      [id, error.slice(0, 1000), answered ? 1 : 0],
    );
  }

  /** PENDING → CREATED and both entries MATCHING → MATCHED with the game id, in one transaction. */
  async markCreated(id: string, gameId: string): Promise<SettledMatch | null> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.rows(
        `UPDATE matches SET status = 'CREATED', game_id = $2, game_created_at = now(), last_error = NULL, updated_at = now(),
           unanswered_attempts = greatest(0, unanswered_attempts - 1)
         WHERE id = $1 AND status = 'PENDING' RETURNING ${MATCH_COLUMNS}`,
        [id, gameId],
      );
      if (!rows.length) return null;
      const entries = await tx.rows<{ id: string }>(
        `UPDATE queue_entries SET status = 'MATCHED', game_id = $2, updated_at = now()
         WHERE match_id = $1 AND status = 'MATCHING' RETURNING id`,
        [id, gameId],
      );
      return { match: toMatch(rows[0]), entryIds: entries.map((e) => e.id) };
    });
  }

  /**
   * PENDING → FAILED; both entries go back to SEARCHING with their original enqueued_at (so they keep
   * their priority) and at least a full queue timeout ahead of them, unless this was an entry's
   * `failedMatchLimit`-th failed match: then it ends CANCELLED (game_creation_failed).
   */
  async markFailed(
    id: string,
    error: string,
    answered: boolean,
    limits: { timeoutSeconds: number; failedMatchLimit: number },
  ): Promise<SettledMatch | null> {
    const { timeoutSeconds, failedMatchLimit } = limits;
    return this.db.transaction(async (tx) => {
      const rows = await tx.rows(
        `UPDATE matches SET status = 'FAILED', last_error = $2, failed_at = now(), updated_at = now(),
           unanswered_attempts = unanswered_attempts - $3::int
         WHERE id = $1 AND status = 'PENDING' RETURNING ${MATCH_COLUMNS}`,
        [id, error.slice(0, 1000), answered ? 1 : 0],
      );
      if (!rows.length) return null;
      const entries = await tx.rows<{ id: string }>(
        `UPDATE queue_entries SET failed_matches = failed_matches + 1, match_id = NULL, color = NULL, opponent = NULL,
           status = CASE WHEN failed_matches + 1 >= $3 THEN 'CANCELLED' ELSE 'SEARCHING' END,
           ended_reason = CASE WHEN failed_matches + 1 >= $3 THEN 'game_creation_failed' END,
           ended_at = CASE WHEN failed_matches + 1 >= $3 THEN now() END,
           expires_at = greatest(expires_at, now() + make_interval(secs => $2::int)), updated_at = now()
         WHERE match_id = $1 AND status = 'MATCHING' RETURNING id`,
        [id, timeoutSeconds, failedMatchLimit],
      );
      return { match: toMatch(rows[0]), entryIds: entries.map((e) => e.id) };
    });
  }

  async pendingOlderThan(seconds: number, limit = 200): Promise<MatchRecord[]> {
    const rows = await this.db.rows(
      `SELECT ${MATCH_COLUMNS} FROM matches WHERE status = 'PENDING' AND created_at < now() - make_interval(secs => $1::int)
       ORDER BY created_at LIMIT $2`,
      [seconds, limit],
    );
    return rows.map(toMatch);
  }
}
