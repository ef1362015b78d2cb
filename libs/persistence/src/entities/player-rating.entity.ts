import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const DEFAULT_RATING = 1500;
export const DEFAULT_DEVIATION = 350;
export const DEFAULT_VOLATILITY = 0.06;

@Entity({ name: 'player_ratings' })
@Index('player_ratings_leaderboard', ['tenantId', 'category', 'rating'], { where: 'games > 0' })
export class PlayerRatingEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ name: 'user_id', type: 'text' }) userId: string;
  @PrimaryColumn({ type: 'text' }) category: string;
  @Column({ type: 'text', nullable: true }) username: string | null;
  @Column({ type: 'double precision' }) rating: number;
  @Column({ type: 'double precision' }) deviation: number;
  @Column({ type: 'double precision' }) volatility: number;
  @Column({ type: 'integer', default: 0 }) games: number;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
