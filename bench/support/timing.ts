/** The middle value (the lower one of an even count). */
export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/** Runs `fn` `warmup` times, then `runs` timed times; the median ms and the last result. */
export function timeIt<T>(fn: () => T, warmup: number, runs: number): { ms: number; result: T } {
  let result = fn();
  for (let w = 1; w < warmup; w++) result = fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    result = fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: median(times), result };
}
