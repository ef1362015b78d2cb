import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl';

  it.each([
    [`/e?access_token=${JWT}`, '/e?access_token=[Redacted]'],
    [`/e?access_token=x&access_token=${JWT}`, '/e?access_token=[Redacted]&access_token=[Redacted]'],
    [`/e?access%5Ftoken=${JWT}`, '/e?access%5Ftoken=[Redacted]'],
    [`/e?access%255Ftoken=${JWT}`, '/e?access%255Ftoken=[Redacted]'],
    [`/e?ACCESS_TOKEN=${JWT}`, '/e?ACCESS_TOKEN=[Redacted]'],
    [`/e?access_token[]=${JWT}`, '/e?access_token[]=[Redacted]'],
    [`/e?access_token%5B0%5D=${JWT}`, '/e?access_token%5B0%5D=[Redacted]'],
    ['/i?x-api-key=k3y&tenant_id=t1', '/i?x-api-key=[Redacted]&tenant_id=t1'],
    ['/i?x%2Dapi%2Dkey=k3y', '/i?x%2Dapi%2Dkey=[Redacted]'],
    ['/i?api_key=k3y', '/i?api_key=[Redacted]'],
    ['/i?access_token', '/i?access_token=[Redacted]'],
    ['/i?%E0%A4%A=1&tenant_id=t', '/i?%E0%A4%A=1&tenant_id=t'],
    ['/v1/matchmaking/active', '/v1/matchmaking/active'],
  ])('logs %s as %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
