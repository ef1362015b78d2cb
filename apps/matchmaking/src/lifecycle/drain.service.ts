import { Injectable } from '@nestjs/common';

/**
 * The process's shutdown state. Readiness reads `draining`; long-lived responses (event streams)
 * register here, so a SIGTERM can wait for them to finish before the listener and connections close.
 */
@Injectable()
export class DrainService {
  private drainingSince: number | null = null;
  private readonly streams = new Set<() => void>();
  private readonly idle = new Set<() => void>();

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  get openStreams(): number {
    return this.streams.size;
  }

  begin(): void {
    this.drainingSince ??= Date.now();
  }

  /** Registers an open stream with the function that ends it; the returned function unregisters it. */
  track(end: () => void): () => void {
    this.streams.add(end);
    return () => {
      this.streams.delete(end);
      if (this.streams.size === 0) for (const resolve of this.idle) resolve();
    };
  }

  /** Resolves once every open stream has closed, or ends the rest at the deadline; returns how many it ended. */
  async waitForStreams(deadlineMs: number): Promise<number> {
    if (this.streams.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      let resolveIdle: () => void = () => undefined;
      await Promise.race([
        new Promise<void>((resolve) => {
          resolveIdle = resolve;
          this.idle.add(resolve);
        }),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs))),
      ]);
      clearTimeout(timer);
      this.idle.delete(resolveIdle);
    }
    const left = [...this.streams];
    for (const end of left) end();
    return left.length;
  }
}
