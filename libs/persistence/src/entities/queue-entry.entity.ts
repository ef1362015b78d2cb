import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type QueueStatus = 'SEARCHING' | 'MATCHING' | 'MATCHED' | 'CANCELLED' | 'TIMED_OUT';

export interface OpponentSnapshot {
  user_id: string;
  username: string | null;
  rating_snapshot: { time_control: string; mode: string; rating: number };
}

@Entity({ name: 'queue_entries' })
@Index('queue_entries_one_open_per_user', ['tenantId', 'userId'], {
  unique: true,
  where: `status IN ('SEARCHING', 'MATCHING')`,
})
@Index('queue_entries_searching_by_pool', ['tenantId', 'poolKey', 'enqueuedAt'], { where: `status = 'SEARCHING'` })
@Index('queue_entries_searching_by_expiry', ['expiresAt'], { where: `status = 'SEARCHING'` })
@Index('queue_entries_by_user', ['tenantId', 'userId', 'enqueuedAt'])
export class QueueEntryEntity {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @Column({ name: 'user_id', type: 'text' }) userId: string;
  @Column({ type: 'text', nullable: true }) username: string | null;
  @Column({ name: 'pool_key', type: 'text' }) poolKey: string;
  @Column({ name: 'time_control', type: 'text' }) timeControl: string;
  @Column({ type: 'text' }) mode: string;
  @Column({ type: 'text' }) variant: string;
  @Column({ type: 'text' }) category: string;
  @Column({ type: 'text', nullable: true }) region: string | null;
  @Column({ type: 'integer' }) rating: number;
  @Column({ type: 'text' }) status: QueueStatus;
  @Column({ name: 'enqueued_at', type: 'timestamptz' }) enqueuedAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'estimated_wait_seconds', type: 'integer' }) estimatedWaitSeconds: number;
  @Column({ name: 'match_id', type: 'text', nullable: true }) matchId: string | null;
  @Column({ name: 'game_id', type: 'text', nullable: true }) gameId: string | null;
  @Column({ type: 'text', nullable: true }) color: 'white' | 'black' | null;
  @Column({ type: 'jsonb', nullable: true }) opponent: OpponentSnapshot | null;
  @Column({ name: 'ended_reason', type: 'text', nullable: true }) endedReason: string | null;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
  @Column({ name: 'client_metadata', type: 'jsonb', nullable: true }) clientMetadata: Record<string, unknown> | null;
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
