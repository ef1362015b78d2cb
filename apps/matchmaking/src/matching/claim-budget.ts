/** A tick over its budget still claims this many pairs (its longest waiters'), so a slow pool drains. */
export const MIN_PAIRS_PER_TICK = 100;
/**
 * Per-pair cost assumed before the first claim is measured: a burst's first big claim in a new process took
 * ~0.4 ms a pair (warm ones ~0.26; docs/performance.md), and guessing low is what makes a tick late.
 */
export const INITIAL_MS_PER_PAIR = 0.4;
/**
 * The same first guess for a team tick, a pair being one of an NvN match's N: a 2v2 burst's first big claim
 * at 100,000 took 0.87 ms a pair (1,313 ms for 772 matches; docs/performance.md), and the 1v1 guess let
 * that tick run to 1,618 ms.
 */
export const TEAM_INITIAL_MS_PER_PAIR = 0.9;
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
    private readonly initialMsPerPair = INITIAL_MS_PER_PAIR,
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
    return this.recent.length ? Math.max(...this.recent) : this.initialMsPerPair;
  }
}
