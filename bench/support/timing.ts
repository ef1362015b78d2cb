/** The middle value (the lower one of an even count). */
export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/**
 * Runs `fn` `warmup` times, then `runs` timed times; the median wall ms, the median CPU ms of this process
 * (user + system: less moved by other processes on the same cores than wall time) and the last result.
 */
export function timeIt<T>(fn: () => T, warmup: number, runs: number): { ms: number; cpuMs: number; result: T } {
  let result = fn();
  for (let w = 1; w < warmup; w++) result = fn();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    result = fn();
    const used = process.cpuUsage(c);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    cpu.push((used.user + used.system) / 1000);
  }
  return { ms: median(times), cpuMs: median(cpu), result };
}
