/** A tick over its budget still claims this many pairs (its longest waiters'), so a slow pool drains. */
export const MIN_PAIRS_PER_TICK = 100;
/**
 * Per-pair cost assumed before the first claim is measured: a burst's first big claim in a new process took
 * ~0.4 ms a pair (warm ones ~0.26; docs/performance.md), and guessing low is what makes a tick late.
 */
const INITIAL_MS_PER_PAIR = 0.4;
/** Claims smaller than this say little about the per-pair cost (a tick's fixed costs dominate). */
const MIN_SAMPLE_PAIRS = 200;
/** The tick plans with the dearest per-pair cost of this many recent claims: a claim's cost varies ±30 %. */
const RECENT_CLAIMS = 8;

/**
 * How many pairs a tick may still claim (a team tick counts an NvN match as N): at most
 * MATCH_MAX_PAIRS_PER_TICK, and no more than fit in what is left of MATCH_TICK_BUDGET_MS at the per-pair
 * cost of this process's recent big claims (the update of both entries, the match row, the game job,
 * colours and usernames: linear in the pairs). A burst's first tick, which reads the whole pool, then
 * claims fewer pairs than the ticks after it.
 */
export class ClaimBudget {
  private readonly recent: number[] = [];

  constructor(
    private readonly budgetMs: number,
    private readonly maxPairs: number,
  ) {}

  /** Pairs a tick that has run for `elapsedMs` may claim (0 for budget or cap: none of that limit). */
  pairs(elapsedMs: number): number {
    const cap = this.maxPairs || Infinity;
    if (!this.budgetMs) return cap;
    const fit = Math.floor((this.budgetMs - elapsedMs) / this.estimatedMsPerPair);
    return Math.min(cap, Math.max(MIN_PAIRS_PER_TICK, fit));
  }

  /**
   * Learns from a tick that claimed `pairs` pairs in `ms`, from choosing them to announcing them. The
   * estimate is the dearest of the last RECENT_CLAIMS claims, so a few quick claims do not overfill the tick
   * after them (averaging them in did: 0.33 ms a pair planned, 0.48 paid, a 1,062 ms tick).
   */
  observe(pairs: number, ms: number): void {
    if (pairs < MIN_SAMPLE_PAIRS) return;
    this.recent.push(ms / pairs);
    if (this.recent.length > RECENT_CLAIMS) this.recent.shift();
  }

  get estimatedMsPerPair(): number {
    return this.recent.length ? Math.max(...this.recent) : INITIAL_MS_PER_PAIR;
  }
}
