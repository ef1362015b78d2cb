import { INestApplication } from '@nestjs/common';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createStubApp, stubUrl } from '../../apps/live-game-stub/src';
import { controlStub, stubGames, stubRequests } from './stub';

/** Helpers of the live-game stub's own tests (the stub alone, no matchmaking service). */

export function gameBody(matchId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    match_id: matchId,
    tenant_id: 'tenant-1',
    white_player_id: 'player-w',
    black_player_id: 'player-b',
    time_control: '5+3',
    mode: 'rated',
    variant: 'standard',
    rating_snapshot: { white: 1500, black: 1520 },
    metadata: { matchmaking_source: 'queue', region: 'eu' },
    ...overrides,
  };
}

let seq = 0;
export const newMatchId = () => `m_${process.pid}_${Date.now()}_${++seq}`;

interface ReceivedResult {
  method: string;
  url: string;
  apiKey: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

/** A tiny stand-in for the matchmaking service's result endpoint. */
export class ResultReceiver {
  readonly received: ReceivedResult[] = [];
  /** Statuses to answer with, in order; 200 once exhausted. */
  statuses: number[] = [];
  private server: Server;

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* keep raw text */
        }
        this.received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          apiKey: req.headers['x-api-key'] as string | undefined,
          contentType: req.headers['content-type'],
          body,
        });
        res.statusCode = this.statuses.shift() ?? 200;
        res.end();
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A stub with no token, latency or failures for the file's tests, listening on every interface;
 * `onStart` receives its base URL. Reset before each test, closed after the last.
 */
export function useBareStub(onStart: (base: string) => unknown): void {
  let app: INestApplication | undefined;
  let base = '';
  beforeAll(async () => {
    app = await createStubApp({ latencyMs: 0, failureRate: 0, down: false, requiredToken: null, finishAfterMs: 0 });
    await app.listen(0);
    base = stubUrl(app);
    onStart(base);
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await request(base).post('/control/reset').expect(200);
  });
}

/** Calls of the stub at `base()`, read at each call. */
export function stubClient(base: () => string) {
  return {
    create: (matchId: string, body: Record<string, unknown> = gameBody(matchId)) =>
      request(base()).post('/v1/games').set('Idempotency-Key', matchId).send(body),
    control: (patch: Record<string, unknown>) => controlStub(base(), patch),
    games: () => stubGames(base()),
    requests: () => stubRequests(base()),
  };
}
