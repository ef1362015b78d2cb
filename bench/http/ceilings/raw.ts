import http from 'http';
import { CeilingWork, Outcome } from './work';

/** The raw node:http ceiling: the same routes and work as ./nest.ts without any framework. */
const work = new CeilingWork(process.env);
const READ_PREFIX = '/v1/matchmaking/queue/';
/** A join body is a few dozen bytes; anything far larger is not a join. */
const MAX_BODY_BYTES = 16_384;

function send(res: http.ServerResponse, out: Outcome): void {
  const body = JSON.stringify(out.body);
  res.writeHead(out.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (req.method === 'GET' && url === '/health/ready') return send(res, { status: 200, body: { status: 'ok' } });
  if (req.method === 'GET' && url.startsWith(READ_PREFIX)) {
    return send(res, await work.read(req.headers.authorization, url.slice(READ_PREFIX.length)));
  }
  if (req.method === 'POST' && url === '/v1/matchmaking/queue') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return send(res, { status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
      chunks.push(chunk as Buffer);
    }
    let body: { time_control?: string; region?: string };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, { status: 400, body: { code: 'INVALID_JSON' } });
    }
    return send(res, await work.join(req.headers.authorization, body));
  }
  send(res, { status: 404, body: { code: 'NOT_FOUND' } });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) send(res, { status: 500, body: { code: 'INTERNAL' } });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3102), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void work.close().then(() => process.exit(0))));
