import { IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import type { Express, Request, Response } from 'express';
import { PrototypedExpressAdapter } from './express-adapter';

describe('PrototypedExpressAdapter', () => {
  let server: Server;
  let app: Express;
  /** each request's prototypes as Node made it, before Express's own handler ran */
  const born: Array<{ request: boolean; response: boolean }> = [];

  beforeAll(async () => {
    const adapter = new PrototypedExpressAdapter();
    adapter.initHttpServer({});
    app = adapter.getInstance<Express>();
    app.get('/echo/:id', (req: Request, res: Response) => {
      res.json({ id: req.params.id, q: req.query.q, host: req.hostname, node: req instanceof IncomingMessage });
    });
    server = adapter.getHttpServer();
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      born.push({
        request: Object.getPrototypeOf(req) === app.request,
        response: Object.getPrototypeOf(res) === app.response,
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("makes requests and responses with Express's prototypes, so Express's swap changes nothing", async () => {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/echo/a1?q=two`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ id: 'a1', q: 'two', host: '127.0.0.1', node: true });
    expect(born).toEqual([{ request: true, response: true }]);
  });
});
