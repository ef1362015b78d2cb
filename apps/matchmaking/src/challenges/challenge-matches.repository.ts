import { Injectable } from '@nestjs/common';
import { MATCH_COLUMNS, MatchRecord, newId, Sql, toMatch } from '@app/persistence';

/** A match made by an accepted challenge: no queue entries, no waits, no region. */
export interface ChallengeMatch {
  tenantId: string;
  challengeId: string;
  poolKey: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
  white: { userId: string; username: string | null; rating: number };
  black: { userId: string; username: string | null; rating: number };
  requestId: string | null;
}

/** The match an accepted challenge makes, written in the accepting transaction. */
@Injectable()
export class ChallengeMatchesRepository {
  /** Inserts the match of an accepted challenge inside the accepting transaction. */
  async insertMatch(tx: Sql, m: ChallengeMatch): Promise<MatchRecord> {
    const row = await tx.one(
      `INSERT INTO matches (id, tenant_id, source, status, pool_key, time_control, mode, variant, category, region,
         white_user_id, black_user_id, white_username, black_username, white_rating, black_rating,
         white_entry_id, black_entry_id, white_wait_ms, black_wait_ms, rating_gap, challenge_id, request_id)
       VALUES ($1, $2, 'challenge', 'PENDING', $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, $12::int, $13::int,
         NULL, NULL, 0, 0, abs($12::int - $13::int), $14, $15)
       RETURNING ${MATCH_COLUMNS}`,
      [
        newId('m'),
        m.tenantId,
        m.poolKey,
        m.timeControl,
        m.mode,
        m.variant,
        m.category,
        m.white.userId,
        m.black.userId,
        m.white.username,
        m.black.username,
        m.white.rating,
        m.black.rating,
        m.challengeId,
        m.requestId,
      ],
    );
    return toMatch(row!);
  }
}
