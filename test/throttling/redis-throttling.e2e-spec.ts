import { randomBytes } from 'node:crypto';
import { generateSigningJwk } from '../../src/modules/auth/infrastructure/signing-keys.js';
import { bearer, signUp } from '../helpers/auth.js';
import { describeWithRedis, testRedisUrl } from '../helpers/redis.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase } from '../helpers/test-database.js';

const redisUrl = testRedisUrl;

/** A namespace of our own on the run's shared Redis, for the queues and for the counters. */
const namespace = () => ({
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: `throttle_e2e_${randomBytes(4).toString('hex')}`,
  THROTTLE_KEY_PREFIX: `throttle_e2e_${randomBytes(4).toString('hex')}`,
  THROTTLE_TTL_MS: '60000',
});

const status = async (t: TestApp, path: string, headers: Record<string, string> = {}) =>
  (await fetch(`${t.url}${path}`, { headers })).status;

describeWithRedis('Rate limiting through Redis (e2e)', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  /** Two API instances on one database and one Redis, as two replicas behind a load balancer. */
  async function twoReplicas(env: Record<string, string | undefined>): Promise<[TestApp, TestApp]> {
    const databaseUrl = await createTestDatabase();
    const shared = { ...env, APP_ROLE: 'api', AUTH_SIGNING_KEY: JSON.stringify(await generateSigningJwk()) };
    // One after the other: each build sets and restores process.env around itself.
    const a = await createTestApp({ env: shared, databaseUrl });
    const b = await createTestApp({ env: shared, databaseUrl });
    apps.push(a, b);
    return [a, b];
  }

  it("two instances share one user's budget: N requests through one and M through the other exceed it together", async () => {
    const [a, b] = await twoReplicas({ ...namespace(), THROTTLE_LIMIT: '4' });
    const user = await signUp(a.url);
    const me = (t: TestApp) => status(t, '/v1/auth/me', user.headers);

    expect([await me(a), await me(b), await me(a), await me(b)]).toEqual([200, 200, 200, 200]);
    expect(await me(a)).toBe(429);
    expect(await me(b)).toBe(429);
    // Another user of the same address, on either instance, has a budget of its own.
    const other = await signUp(b.url);
    expect(await status(a, '/v1/auth/me', other.headers)).toBe(200);
  });

  it('two instances share the failed-authentication count of an address', async () => {
    const [a, b] = await twoReplicas({ ...namespace(), THROTTLE_AUTH_FAILURE_LIMIT: '3' });
    const forged = bearer('forged.token.value');

    expect([await status(a, '/v1/auth/me', forged), await status(b, '/v1/auth/me', forged)]).toEqual([401, 401]);
    expect(await status(a, '/v1/auth/me', forged)).toBe(401);
    expect(await status(b, '/v1/auth/me', forged)).toBe(429);
    expect(await status(a, '/v1/auth/me', forged)).toBe(429);
  });

  it('keeps deployments with different THROTTLE_KEY_PREFIX apart', async () => {
    const env = { ...namespace(), THROTTLE_LIMIT: '3' };
    const a = await createTestApp({ env });
    const other = await createTestApp({ env: { ...namespace(), THROTTLE_LIMIT: '3', QUEUE_PREFIX: env.QUEUE_PREFIX } });
    apps.push(a, other);

    for (let i = 0; i < 4; i++) await status(a, '/v1/info');
    expect(await status(a, '/v1/info')).toBe(429);
    expect(await status(other, '/v1/info')).toBe(200);
  });
});
