import request from 'supertest';
import { newMatchId, ResultReceiver, stubClient, useBareStub } from './support/live-game-stub';
import { waitFor } from './support/test-app';

/** The live-game stub over real HTTP: finishing games and posting results, the control API. */

describe('live-game stub (e2e)', () => {
  let base: string;
  useBareStub((url) => (base = url));
  const { create, control, games, requests } = stubClient(() => base);

  describe('finishing games', () => {
    let receiver: ResultReceiver;
    let receiverUrl: string;

    beforeEach(async () => {
      receiver = new ResultReceiver();
      receiverUrl = await receiver.start();
    });

    afterEach(async () => {
      await request(base).post('/control/reset').expect(200);
      await receiver.stop();
    });

    it('posts a random result to {result_url}/internal/games/{id}/result with x-api-key after finish_after_ms', async () => {
      await control({ finish_after_ms: 100, result_url: receiverUrl, result_api_key: 'test-key' });
      const started = Date.now();
      const { body } = await create(newMatchId()).expect(201);

      const got = await waitFor(() => receiver.received[0], 5_000, 20);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      expect(got.method).toBe('POST');
      expect(got.url).toBe(`/internal/games/${body.game_id}/result`);
      expect(got.apiKey).toBe('test-key');
      expect(got.contentType).toContain('application/json');
      expect(got.body).toEqual({ result: expect.stringMatching(/^(white|black|draw)$/) });

      const game = await waitFor(async () => (await games()).find((g) => g.result_post?.state === 'posted'), 5_000, 20);
      expect(game.result).toBe((got.body as { result: string }).result);
    });

    it('uses fixed_result and retries when the receiver fails', async () => {
      receiver.statuses = [503, 500];
      await control({
        finish_after_ms: 50,
        result_url: receiverUrl,
        result_api_key: 'k2',
        fixed_result: 'draw',
        result_retry_base_ms: 20,
      });
      const { body } = await create(newMatchId()).expect(201);

      await waitFor(() => (receiver.received.length >= 3 ? true : undefined), 5_000, 20);
      expect(receiver.received.map((r) => r.body)).toEqual([
        { result: 'draw' },
        { result: 'draw' },
        { result: 'draw' },
      ]);
      const game = await waitFor(async () => (await games()).find((g) => g.result_post?.state === 'posted'), 5_000, 20);
      expect(game).toMatchObject({
        game_id: body.game_id,
        result: 'draw',
        result_post: { attempts: 3, last_status: 200 },
      });
    });

    it('POST /control/games/:id/finish finishes a game on demand', async () => {
      await control({ result_url: receiverUrl, result_api_key: 'k3' });
      const { body } = await create(newMatchId()).expect(201);
      const finished = await request(base)
        .post(`/control/games/${body.game_id}/finish`)
        .send({ result: 'white' })
        .expect(200);
      expect(finished.body).toMatchObject({ game_id: body.game_id, result: 'white', result_post: { state: 'posted' } });
      expect(receiver.received).toEqual([
        expect.objectContaining({
          url: `/internal/games/${body.game_id}/result`,
          apiKey: 'k3',
          body: { result: 'white' },
        }),
      ]);
      await request(base).post('/control/games/g_unknown/finish').send({}).expect(404);
    });
  });

  describe('control API', () => {
    it('GET /control shows the settings; PUT applies a subset', async () => {
      const before = (await request(base).get('/control').expect(200)).body;
      expect(before).toMatchObject({
        latency_ms: 0,
        failure_rate: 0,
        failure_status: 503,
        down: false,
        finish_after_ms: 0,
      });

      const after = (await control({ latency_ms: 25, failure_status: 429 })).body;
      expect(after).toEqual({ ...before, latency_ms: 25, failure_status: 429 });
    });

    it.each([
      [{ failure_rate: 2 }],
      [{ failure_rate: -0.1 }],
      [{ latency_ms: -1 }],
      [{ latency_ms: 'fast' }],
      [{ failure_status: 200 }],
      [{ down: 'yes' }],
      [{ down_mode: 'explode' }],
      [{ fail_next: { count: -1, status: 500 } }],
      [{ fail_next: { count: 1, status: 99 } }],
      [{ fixed_result: 'checkmate' }],
      [{ result_url: 'not a url' }],
      [{ unknown_setting: true }],
    ])('rejects %j with 400 and leaves settings unchanged', async (patch) => {
      const before = (await request(base).get('/control').expect(200)).body;
      const res = await request(base).put('/control').send(patch).expect(400);
      expect(typeof res.body.error).toBe('string');
      expect((await request(base).get('/control').expect(200)).body).toEqual(before);
    });

    it('POST /control/reset clears requests and games and restores start-up settings', async () => {
      await create(newMatchId()).expect(201);
      await control({ latency_ms: 10, down: true, fixed_result: 'black' });
      const reset = await request(base).post('/control/reset').expect(200);
      expect(reset.body).toMatchObject({ latency_ms: 0, down: false, fixed_result: null });
      expect(await games()).toEqual([]);
      expect(await requests()).toEqual([]);
    });
  });
});
