import { createTestApp, type TestApp } from '../helpers/test-app.js';

const LIMIT = 3;

/** An app with a small limit and the in-memory storage (no REDIS_URL, whatever the shell has). */
const startApp = (trustProxy: string) =>
  createTestApp({
    env: { REDIS_URL: undefined, THROTTLE_LIMIT: String(LIMIT), THROTTLE_TTL_MS: '60000', TRUST_PROXY: trustProxy },
  });

const info = (t: TestApp, forwardedFor?: string) =>
  fetch(`${t.url}/v1/info`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });

async function statuses(requests: (() => Promise<Response>)[]): Promise<number[]> {
  const result: number[] = [];
  for (const request of requests) result.push((await request()).status);
  return result;
}

describe('Rate limiting over HTTP (e2e, in-memory storage)', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('answers the request after the limit with a 429 problem and Retry-After in seconds', async () => {
    t = await startApp('0');
    for (let i = 0; i < LIMIT; i++) {
      const ok = await info(t);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - i - 1));
    }

    const res = await info(t);
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({
      status: 429,
      title: 'Too Many Requests',
      code: 'HTTP.TOO_MANY_REQUESTS',
      instance: '/v1/info',
      requestId: res.headers.get('x-request-id'),
    });
    // Blocked for the window (60 s by default), expressed in whole seconds, not milliseconds.
    const retryAfter = res.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });

  it('never throttles /health/live and /health/ready, not even for a blocked client', async () => {
    t = await startApp('0');
    expect(await statuses(Array.from({ length: LIMIT + 1 }, () => () => info(t)))).toContain(429);

    const probes = Array.from({ length: 3 * LIMIT }, () => [
      () => fetch(`${t.url}/health/live`),
      () => fetch(`${t.url}/health/ready`),
    ]).flat();
    expect(new Set(await statuses(probes))).toEqual(new Set([200]));
  });

  it('with TRUST_PROXY=0, a client that forges a new X-Forwarded-For on every request is still limited', async () => {
    t = await startApp('0');
    const forged = Array.from({ length: LIMIT + 1 }, (_, i) => () => info(t, `198.51.100.${i + 1}`));

    expect(await statuses(forged)).toEqual([200, 200, 200, 429]);
  });

  it('with TRUST_PROXY=1, keys on the address the proxy appended and ignores forged entries before it', async () => {
    t = await startApp('1');
    // The proxy appends the address it saw; whatever the client sent comes before it.
    const viaProxy = (client: string, forged: string) => () => info(t, `${forged}, ${client}`);
    const sameClient = Array.from({ length: LIMIT + 1 }, (_, i) => viaProxy('203.0.113.7', `10.0.0.${i + 1}`));

    expect(await statuses(sameClient)).toEqual([200, 200, 200, 429]);
    expect(await statuses([viaProxy('203.0.113.8', '10.0.0.1')])).toEqual([200]);
  });
});
