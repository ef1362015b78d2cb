import { fork, ChildProcess } from 'child_process';
import { onCleanup, trackChild } from '../../support/harness';
import { TcpProxy } from '../../support/tcp-proxy';

/**
 * The TCP proxy between the service and PostgreSQL, in a process of its own: in the soak's own
 * process it would share an event loop with the load and slow every query down with it.
 * `node pg-proxy.js <targetPort>` prints its port; IPC messages 'cut' and 'restore' answer 'done'.
 */
export class PgProxyProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<PgProxyProcess> {
    const child = fork(__filename, [String(targetPort)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    trackChild(child);
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port?: number }) => (m.port ? resolve(m.port) : reject(new Error('no port'))));
      child.once('exit', (code) => reject(new Error(`pg proxy exited with ${code}`)));
    });
    const proxy = new PgProxyProcess(child, port);
    onCleanup('stop pg proxy', () => void child.kill('SIGKILL'));
    return proxy;
  }

  url(original: string): string {
    const u = new URL(original);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** Refuse new connections and drop the open ones, as a restarting server would. */
  cut(): Promise<void> {
    return this.ask('cut');
  }

  restore(): Promise<void> {
    return this.ask('restore');
  }

  private ask(command: 'cut' | 'restore'): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('message', () => resolve());
      this.child.send(command);
    });
  }
}

if (require.main === module) {
  const proxy = new TcpProxy('127.0.0.1', Number(process.argv[2]));
  void proxy.start().then((port) => process.send!({ port }));
  process.on('message', (command: string) => {
    void (command === 'cut' ? proxy.cut() : proxy.restore()).then(() => process.send!({ done: command }));
  });
  process.on('disconnect', () => process.exit(0));
}
