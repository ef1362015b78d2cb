import { expectProblem } from './support/api';
import { useChallengeService } from './support/fixtures';
import { tenantIds, TestApp } from './support/test-app';

/** Every test uses a tenant of its own, so challenges, games and colour histories never mix. */
const newTenant = tenantIds('c');

describe('direct challenges', () => {
  let t: TestApp;
  const { challenge, get, accept, decline, withdraw, list } = useChallengeService((started) => ({ t } = started));

  describe('declining and withdrawing', () => {
    it('declines with a reason (generic by default); refuses unknown reasons, the challenger and strangers', async () => {
      const tenant = newTenant();
      const plain = await challenge(tenant, 'sue', 'tom');
      const res = await decline(tenant, 'tom', plain.challenge_id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...plain, status: 'DECLINED', decline_reason: 'generic' });
      expectProblem(await decline(tenant, 'tom', plain.challenge_id, { reason: 'later' }), 409, 'INVALID_STATE');

      for (const reason of ['generic', 'later', 'too_fast', 'too_slow', 'time_control', 'rated', 'casual', 'variant']) {
        const c = await challenge(tenant, 'sue', 'tom');
        const r = await decline(tenant, 'tom', c.challenge_id, { reason });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ status: 'DECLINED', decline_reason: reason });
      }

      const c = await challenge(tenant, 'sue', 'tom');
      for (const body of [{ reason: 'boring' }, { reason: 3 }, { reason: 'later', note: 'x' }]) {
        const r = await decline(tenant, 'tom', c.challenge_id, body);
        expectProblem(r, 400, 'INVALID_REQUEST');
      }
      expectProblem(await decline(tenant, 'sue', c.challenge_id), 403, 'FORBIDDEN');
      expectProblem(await decline(tenant, 'uma', c.challenge_id), 404, 'NOT_FOUND');
      expectProblem(await decline(newTenant(), 'tom', c.challenge_id), 404, 'NOT_FOUND');
      expect((await get(tenant, 'tom', c.challenge_id)).body.status).toBe('PENDING');
    });

    it('lets the challenger withdraw; the opponent gets 403, others 404, a second withdraw 409', async () => {
      const tenant = newTenant();
      const c = await challenge(tenant, 'vi', 'wu');
      expectProblem(await withdraw(tenant, 'wu', c.challenge_id), 403, 'FORBIDDEN');
      expectProblem(await withdraw(tenant, 'xi', c.challenge_id), 404, 'NOT_FOUND');
      expectProblem(await withdraw(newTenant(), 'vi', c.challenge_id), 404, 'NOT_FOUND');
      const res = await withdraw(tenant, 'vi', c.challenge_id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...c, status: 'CANCELLED' });
      expectProblem(await withdraw(tenant, 'vi', c.challenge_id), 409, 'INVALID_STATE');
      expectProblem(await accept(tenant, 'wu', c.challenge_id), 409, 'INVALID_STATE');
      expect(await list(tenant, 'wu', 'incoming')).toEqual([]);
    });
  });

  it('documents every challenge route in OpenAPI with schemas, problems and bearer security', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const base = '/v1/matchmaking/challenges';
    const ops: [string, string, string[]][] = [
      [base, 'post', ['201', '400', '401']],
      [`${base}/incoming`, 'get', ['200', '401']],
      [`${base}/outgoing`, 'get', ['200', '401']],
      [`${base}/{id}`, 'get', ['200', '404']],
      [`${base}/{id}/accept`, 'post', ['200', '403', '404', '409']],
      [`${base}/{id}/decline`, 'post', ['200', '400', '403', '404', '409']],
      [`${base}/{id}`, 'delete', ['200', '403', '404', '409']],
    ];
    for (const [path, method, statuses] of ops) {
      const op = doc.paths[path]?.[method];
      expect(op).toBeDefined();
      expect(op.security).toEqual([{ bearer: [] }]);
      for (const s of statuses) expect(op.responses[s]).toBeDefined();
    }
    expect(doc.paths[base].post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CreateChallengeRequest',
    );
    expect(doc.paths[`${base}/incoming`].get.responses['200'].content['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/ChallengeDto' },
    });
    expect(Object.keys(doc.components.schemas.ChallengeDto.properties).sort()).toEqual([
      'challenge_id',
      'challenger',
      'challenger_user_id',
      'created_at',
      'decline_reason',
      'expires_at',
      'game_id',
      'match_id',
      'mode',
      'opponent_user_id',
      'preferred_color',
      'status',
      'time_control',
      'variant',
    ]);
    expect(doc.components.schemas.DeclineChallengeRequest.properties.reason.enum).toEqual([
      'generic',
      'later',
      'too_fast',
      'too_slow',
      'time_control',
      'rated',
      'casual',
      'variant',
    ]);
  });
});
