import { createTestApp, type TestApp } from '../helpers/test-app.js';

const LIMIT = 3;

/**
 * Which address a request is counted on, seen through the general budget of anonymous
 * requests (in memory, LIMIT a minute). The test client is 127.0.0.1.
 */
const startApp = (trustProxy: string) =>
  createTestApp({
    env: { REDIS_URL: undefined, THROTTLE_LIMIT: String(LIMIT), THROTTLE_TTL_MS: '60000', TRUST_PROXY: trustProxy },
  });

async function statuses(t: TestApp, forwardedFor: (string | undefined)[]): Promise<number[]> {
  const result: number[] = [];
  for (const header of forwardedFor)
    result.push((await fetch(`${t.url}/v1/info`, { headers: header ? { 'x-forwarded-for': header } : {} })).status);
  return result;
}

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

describe('TRUST_PROXY: whose address a request is counted on (e2e)', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('with the client listed as a proxy (127.0.0.1), keys on the address it forwards', async () => {
    t = await startApp('127.0.0.1');

    expect(
      await statuses(
        t,
        times(LIMIT + 1, () => '203.0.113.7'),
      ),
    ).toEqual([200, 200, 200, 429]);
    // Another forwarded address, and the proxy itself, are other clients with budgets of their own.
    expect(await statuses(t, ['203.0.113.8', undefined])).toEqual([200, 200]);
  });

  it('with a list that holds the proxy, skips the entries the trusted proxies appended, and only those', async () => {
    t = await startApp('10.0.0.0/8,127.0.0.1');
    // 127.0.0.1 -> 10.1.2.3 (trusted) -> 203.0.113.7: the client; anything before it is the client's own writing.
    const viaProxies = times(LIMIT + 1, (i) => `198.51.100.${i + 1}, 203.0.113.7, 10.1.2.3`);

    expect(await statuses(t, viaProxies)).toEqual([200, 200, 200, 429]);
  });

  it('with a list that does not hold the client (10.0.0.0/8), ignores the X-Forwarded-For it sends', async () => {
    t = await startApp('10.0.0.0/8');
    const forged = times(LIMIT + 1, (i) => `198.51.100.${i + 1}`);

    expect(await statuses(t, forged)).toEqual([200, 200, 200, 429]);
  });

  it('with TRUST_PROXY=false, a client that forges a new X-Forwarded-For on every request is still limited', async () => {
    t = await startApp('false');
    const forged = times(LIMIT + 1, (i) => `198.51.100.${i + 1}`);

    expect(await statuses(t, forged)).toEqual([200, 200, 200, 429]);
  });

  it('with a hop count (1, kept for compatibility), keys on the entry the last hop appended', async () => {
    t = await startApp('1');
    // The proxy appends the address it saw; whatever the client sent comes before it.
    const sameClient = times(LIMIT + 1, (i) => `10.0.0.${i + 1}, 203.0.113.7`);

    expect(await statuses(t, sameClient)).toEqual([200, 200, 200, 429]);
    expect(await statuses(t, ['10.0.0.1, 203.0.113.8'])).toEqual([200]);
  });

  it('with a hop count, a client that reaches the app directly picks its own address: why a list is safer', async () => {
    t = await startApp('1');
    const forged = times(LIMIT + 1, (i) => `198.51.100.${i + 1}`);

    expect(await statuses(t, forged)).toEqual([200, 200, 200, 200]);
  });
});
