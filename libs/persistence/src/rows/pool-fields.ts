/** Where a queue entry or a match plays: its pool and what the pool is made of. */
export interface PoolFields {
  poolKey: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
  region: string | null;
}
