import type { TransportSingleOptions } from 'pino';

/**
 * Coloured human-readable lines for a developer watching a terminal; JSON lines for everything that
 * reads logs as data (a pipe, a file, a container runtime, a collector), and always outside development.
 */
export function prettyLogs(nodeEnv: string, stdout: { isTTY?: boolean } = process.stdout): boolean {
  return nodeEnv === 'development' && stdout.isTTY === true;
}

/** pino's own pretty transport when prettyLogs() says so; undefined keeps pino's JSON on stdout. */
export function logTransport(
  nodeEnv: string,
  stdout: { isTTY?: boolean } = process.stdout,
): TransportSingleOptions | undefined {
  if (!prettyLogs(nodeEnv, stdout)) return undefined;
  return {
    target: 'pino-pretty',
    options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true },
  };
}
