import { randomUUID } from 'crypto';
import { Server, STATUS_CODES } from 'http';
import { Duplex } from 'stream';
import { ProblemException } from './problem';
import { problemOf } from './problem.filter';

/** How often Node looks for connections past their header or request timeout (its default is 30 s). */
const TIMEOUT_CHECK_MS = 1000;

function statusOf(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

const DETAILS: Record<number, string> = {
  400: 'the request could not be parsed',
  408: 'the request did not arrive in time',
  431: 'the request headers are too large',
};

/**
 * Requests that never reach Express (oversized or malformed headers, a client that stops sending)
 * get problem details like every other error, and a connection that does not finish its headers is
 * closed after `headersTimeoutMs` instead of Node's minute.
 */
export function hardenHttpServer(server: Server, timeouts: { headersTimeoutMs: number; requestTimeoutMs: number }) {
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = Math.max(timeouts.requestTimeoutMs, timeouts.headersTimeoutMs);
  // A plain property read when the server starts listening (typed only as a createServer option).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
    TIMEOUT_CHECK_MS,
    timeouts.headersTimeoutMs,
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const answered = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (error.code === 'ECONNRESET' || !socket.writable || answered) {
      socket.destroy();
      return;
    }
    const status = statusOf(error.code);
    const requestId = randomUUID();
    const body = JSON.stringify({
      ...problemOf(new ProblemException(status, 'INVALID_REQUEST', DETAILS[status])),
      request_id: requestId,
    });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
