import { ChildProcess, spawn } from 'child_process';
import net from 'net';
import path from 'path';
import request from 'supertest';
import { waitFor } from './test-app';

const MAIN = path.join(__dirname, '../../dist/apps/matchmaking/src/main.js');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The built service (`npm run build`) as a real OS process, for crash, restart and shutdown tests. */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  output = '';
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(env: Record<string, string>): Promise<ServiceProcess> {
    const service = new ServiceProcess(env, await freePort());
    await service.spawn();
    return service;
  }

  async spawn(): Promise<void> {
    this.exitCode = null;
    this.exitSignal = null;
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout.on('data', (d) => (this.output += d));
    child.stderr.on('data', (d) => (this.output += d));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      }),
    );
    try {
      await waitFor(
        async () => {
          if (this.exitCode !== null || this.exitSignal)
            throw new Error(`service exited early:\n${this.output.slice(-2000)}`);
          const res = await request(this.url)
            .get('/health/ready')
            .catch(() => null);
          return res?.status === 200;
        },
        30000,
        200,
      );
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  async waitForExit(timeoutMs = 20000): Promise<void> {
    await Promise.race([
      this.exited,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms:\n${this.output.slice(-2000)}`)), timeoutMs),
      ),
    ]);
  }

  async stop(): Promise<void> {
    if (!this.child || this.exitCode !== null || this.exitSignal) return;
    this.child.kill('SIGTERM');
    await this.waitForExit().catch(() => this.child?.kill('SIGKILL'));
  }
}
