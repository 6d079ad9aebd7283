import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { throttlerStorageContract } from '../../../../test/throttling/throttler-storage.contract.js';
import { RedisFixedWindowThrottlerStorage } from './redis-fixed-window.storage.js';
import { describeWithRedis, testRedisUrl } from '../../../../test/helpers/redis.js';

const redisUrl = testRedisUrl;

describeWithRedis('RedisFixedWindowThrottlerStorage (real Redis)', () => {
  let redis: Redis;
  // The test Redis is shared by every test file of the run: keep to a prefix of our own.
  const prefix = `throttle_spec_${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    redis = new Redis(redisUrl!);
  });
  afterAll(() => redis.quit());

  describe('fixed-window semantics', () => {
    throttlerStorageContract({
      create: () => new RedisFixedWindowThrottlerStorage(redis, prefix),
      advance: (ms) => sleep(ms),
    });
  });

  it('counts atomically: concurrent hits from several clients each get their own count', async () => {
    const clients = [0, 1, 2].map(() => redis.duplicate());
    const storages = clients.map((client) => new RedisFixedWindowThrottlerStorage(client, prefix));
    try {
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => storages[i % 3].increment('concurrent', 60_000, 20, 60_000)),
      );

      const allowed = results.filter((result) => !result.isBlocked);
      expect(allowed).toHaveLength(20);
      expect(allowed.map((result) => result.totalHits).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    } finally {
      await Promise.all(clients.map((client) => client.quit()));
    }
  });

  it('keeps its keys under the prefix, and lets none outlive its window or block', async () => {
    const storage = new RedisFixedWindowThrottlerStorage(redis, prefix);
    await storage.increment('ttl-check', 60_000, 1, 30_000);
    await storage.increment('ttl-check', 60_000, 1, 30_000);

    const keys = (await redis.keys(`${prefix}:{ttl-check}:*`)).sort();
    expect(keys).toEqual([`${prefix}:{ttl-check}:blocked`, `${prefix}:{ttl-check}:hits`]);
    const [blockedTtl, hitsTtl] = await Promise.all(keys.map((k) => redis.pttl(k)));
    expect(blockedTtl).toBeGreaterThan(0);
    expect(blockedTtl).toBeLessThanOrEqual(30_000);
    expect(hitsTtl).toBeGreaterThan(0);
    expect(hitsTtl).toBeLessThanOrEqual(60_000);
  });

  it('sends its script in full when the server does not know it (first use, restart, SCRIPT FLUSH)', async () => {
    // A server that has forgotten the script, without flushing the run's shared Redis.
    const forgetful = Object.create(redis) as Redis;
    let evalshaCalls = 0;
    forgetful.evalsha = (async () => {
      evalshaCalls++;
      throw new Error('NOSCRIPT No matching script. Please use EVAL.');
    }) as unknown as Redis['evalsha'];
    const storage = new RedisFixedWindowThrottlerStorage(forgetful, prefix);

    expect(await storage.increment('noscript', 60_000, 5, 60_000)).toMatchObject({ totalHits: 1 });
    expect(await storage.increment('noscript', 60_000, 5, 60_000)).toMatchObject({ totalHits: 2 });
    expect(evalshaCalls).toBe(2);
  });
});
