import { ChildProcess, spawn } from 'child_process';
import Redis from 'ioredis';
import { freePort, log, onCleanup, sleep, trackChild } from '../../support/harness';

/** How long a (re)started process may take to answer its readiness path: the machine is shared and busy. */
const READY_TIMEOUT_MS = 90_000;
/** Output kept per process, for the report when something goes wrong. */
const OUTPUT_KEEP = 400_000;

/** A child process on a fixed port that the soak can SIGKILL and start again with the same env. */
export class RestartableProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  output = '';
  starts = 0;

  private constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
    readonly port: number,
    private readonly ready: () => Promise<boolean>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A node script answering HTTP on PORT (or portVar); ready when readyPath answers 200. */
  static node(
    name: string,
    script: string,
    env: Record<string, string>,
    port: number,
    options: { portVar?: string; readyPath?: string } = {},
  ): RestartableProcess {
    const { portVar = 'PORT', readyPath = '/health/ready' } = options;
    const url = `http://127.0.0.1:${port}${readyPath}`;
    const ready = () =>
      fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status === 200,
        () => false,
      );
    const full = { PATH: process.env.PATH ?? '', ...env, [portVar]: String(port), HOST: '127.0.0.1' };
    const p = new RestartableProcess(name, process.execPath, [script], full, port, ready);
    onCleanup(`stop ${name}`, () => p.stop());
    return p;
  }

  /** A redis-server of our own (no persistence), so restarting and flushing it harms nobody else. */
  static redis(port: number): RestartableProcess {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const ready = async () => {
      const r = new Redis({
        port,
        host: '127.0.0.1',
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        r.disconnect();
      }
    };
    const p = new RestartableProcess('redis', 'redis-server', args, { PATH: process.env.PATH ?? '' }, port, ready);
    onCleanup('stop redis', () => p.stop());
    return p;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    const child = spawn(this.command, this.args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    this.child = child;
    this.starts++;
    const keep = (d: Buffer) => {
      this.output += d.toString();
      if (this.output.length > OUTPUT_KEEP) this.output = this.output.slice(-OUTPUT_KEEP / 2);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await this.ready())) {
      if (!this.running) throw new Error(`${this.name} exited while starting:\n${this.output.slice(-3000)}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name} not ready within ${READY_TIMEOUT_MS} ms:\n${this.output.slice(-3000)}`);
      await sleep(150);
    }
  }

  /** SIGKILL and wait for the exit: no shutdown hooks run, as when a node dies. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after a grace. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 8_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** `SHUTDOWN NOSAVE` on our own Redis: every key is gone, as after a crash of a cache without persistence. */
export async function redisShutdown(redis: RestartableProcess): Promise<void> {
  const r = new Redis({ port: redis.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
  } finally {
    r.disconnect();
  }
  // the server may take a moment to go; a kill makes sure it is gone before it is started again
  await Promise.race([redis.stop(), sleep(3000)]);
  await redis.kill();
}

export async function redisFlushDb(port: number, db: number): Promise<void> {
  const r = new Redis({ port, host: '127.0.0.1', db, lazyConnect: true, maxRetriesPerRequest: 1 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.flushdb();
  } finally {
    r.disconnect();
  }
}

export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  log(`ports: ${[...ports].join(', ')}`);
  return [...ports];
}
