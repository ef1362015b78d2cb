import { Column, Entity, PrimaryColumn } from 'typeorm';

export type MatchStatus = 'PENDING' | 'CREATED' | 'FAILED';
export type GameResult = 'white' | 'black' | 'draw' | 'aborted';

/** A pairing and the life of its game on the live-game API (indexes live in the migration). */
@Entity({ name: 'matches' })
export class MatchEntity {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @Column({ type: 'text' }) source: 'queue' | 'challenge';
  @Column({ type: 'text' }) status: MatchStatus;
  @Column({ name: 'pool_key', type: 'text' }) poolKey: string;
  @Column({ name: 'time_control', type: 'text' }) timeControl: string;
  @Column({ type: 'text' }) mode: string;
  @Column({ type: 'text' }) variant: string;
  @Column({ type: 'text' }) category: string;
  @Column({ type: 'text', nullable: true }) region: string | null;
  @Column({ name: 'white_user_id', type: 'text' }) whiteUserId: string;
  @Column({ name: 'black_user_id', type: 'text' }) blackUserId: string;
  @Column({ name: 'white_username', type: 'text', nullable: true }) whiteUsername: string | null;
  @Column({ name: 'black_username', type: 'text', nullable: true }) blackUsername: string | null;
  @Column({ name: 'white_rating', type: 'integer' }) whiteRating: number;
  @Column({ name: 'black_rating', type: 'integer' }) blackRating: number;
  @Column({ name: 'white_entry_id', type: 'text', nullable: true }) whiteEntryId: string | null;
  @Column({ name: 'black_entry_id', type: 'text', nullable: true }) blackEntryId: string | null;
  @Column({ name: 'white_wait_ms', type: 'integer' }) whiteWaitMs: number;
  @Column({ name: 'black_wait_ms', type: 'integer' }) blackWaitMs: number;
  @Column({ name: 'rating_gap', type: 'integer' }) ratingGap: number;
  @Column({ name: 'challenge_id', type: 'text', nullable: true }) challengeId: string | null;
  @Column({ name: 'game_id', type: 'text', nullable: true, unique: true }) gameId: string | null;
  @Column({ type: 'integer' }) attempts: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ type: 'text', nullable: true }) result: GameResult | null;
  @Column({ name: 'result_at', type: 'timestamptz', nullable: true }) resultAt: Date | null;
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'game_created_at', type: 'timestamptz', nullable: true }) gameCreatedAt: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
