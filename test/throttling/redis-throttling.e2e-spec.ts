import { randomBytes } from 'node:crypto';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { describeWithRedis, testRedisUrl } from '../helpers/redis.js';

const redisUrl = testRedisUrl;

/** A namespace of our own on the run's shared Redis, for the queues and for the counters. */
const namespace = () => ({
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: `throttle_e2e_${randomBytes(4).toString('hex')}`,
  THROTTLE_KEY_PREFIX: `throttle_e2e_${randomBytes(4).toString('hex')}`,
  THROTTLE_LIMIT: '3',
  THROTTLE_TTL_MS: '60000',
});

const info = async (t: TestApp) => (await fetch(`${t.url}/v1/info`)).status;

describeWithRedis('Rate limiting through Redis (e2e)', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('two instances sharing Redis share one limit', async () => {
    const env = namespace();
    // One after the other: each build sets and restores process.env around itself.
    const a = await createTestApp({ env });
    const b = await createTestApp({ env });
    apps.push(a, b);

    expect([await info(a), await info(b), await info(a)]).toEqual([200, 200, 200]);
    expect(await info(b)).toBe(429);
    expect(await info(a)).toBe(429);
  });

  it('keeps deployments with different THROTTLE_KEY_PREFIX apart', async () => {
    const env = namespace();
    const a = await createTestApp({ env });
    const other = await createTestApp({ env: { ...namespace(), QUEUE_PREFIX: env.QUEUE_PREFIX } });
    apps.push(a, other);

    for (let i = 0; i < 4; i++) await info(a);
    expect(await info(a)).toBe(429);
    expect(await info(other)).toBe(200);
  });
});
