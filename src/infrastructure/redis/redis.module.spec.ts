import { setTimeout as sleep } from 'node:timers/promises';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import type { Redis } from 'ioredis';
import { freePort } from '../../../test/helpers/free-port.js';
import { withEnv } from '../../../test/helpers/test-app.js';
import { AppConfigModule } from '../config/app-config.module.js';
import { createRedisClient, REDIS_CLIENT, type RedisClient } from './redis-client.js';
import { RedisHealthIndicator } from './redis.health.js';
import { RedisModule } from './redis.module.js';
import { describeWithRedis, testRedisUrl } from '../../../test/helpers/redis.js';

const redisUrl = testRedisUrl;

const compile = (env: Record<string, string | undefined>) =>
  withEnv(env, () => Test.createTestingModule({ imports: [AppConfigModule, RedisModule] }).compile());

describe('RedisModule', () => {
  it('provides no client and nothing to check when REDIS_URL is not set', async () => {
    const moduleRef = await compile({ REDIS_URL: undefined });
    await moduleRef.init();

    expect(moduleRef.get<RedisClient>(REDIS_CLIENT)).toBeNull();
    expect(moduleRef.get(RedisHealthIndicator).configured).toBe(false);
    await moduleRef.close();
  });

  describeWithRedis('with REDIS_URL', () => {
    it('shares one client built from REDIS_URL and closes it on shutdown', async () => {
      const moduleRef = await compile({ REDIS_URL: redisUrl });
      await moduleRef.init();
      const client = moduleRef.get<Redis>(REDIS_CLIENT);

      expect(await client.ping()).toBe('PONG');
      const health = moduleRef.get(RedisHealthIndicator);
      expect(health.configured).toBe(true);
      expect(await health.check('redis')).toMatchObject({ redis: { status: 'up' } });

      await moduleRef.close();
      // QUIT has been answered; the socket closes a moment later.
      const deadline = Date.now() + 5000;
      while (client.status !== 'end' && Date.now() < deadline) await sleep(10);
      expect(client.status).toBe('end');
    });
  });
});

describe('the shared client when Redis is unreachable', () => {
  it('reports readiness down and logs the outage once, not once per reconnect attempt', async () => {
    const errors: unknown[] = [];
    const client = createRedisClient(`redis://127.0.0.1:${await freePort()}`, {
      error: (...args: unknown[]) => void errors.push(args),
      log: () => undefined,
    });
    let attempts = 0;
    client.on('error', () => attempts++);
    try {
      const health = new RedisHealthIndicator(new HealthIndicatorService(), client);

      const result = await health.check('redis', 10_000);
      expect(result.redis.status).toBe('down');
      expect(attempts).toBeGreaterThan(1);
      expect(errors).toHaveLength(1);
    } finally {
      client.disconnect();
      // ioredis gives a socket that never opened its 2 s disconnectTimeout before letting go;
      // wait it out so the test leaves nothing running behind it.
      await sleep(2100);
    }
  });
});
