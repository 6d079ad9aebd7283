import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { queueBackendContract } from './queue-backend.contract.js';
import { describeWithRedis, testRedisUrl } from '../helpers/redis.js';

const redisUrl = testRedisUrl;

describeWithRedis('Queue backend contract: Redis (e2e)', () => {
  queueBackendContract({
    kind: 'redis',
    nulInStrings: 'round-trips',
    // Test files and apps share one Redis server: a prefix of their own keeps their jobs apart.
    isolatedEnv: () => ({ REDIS_URL: redisUrl, QUEUE_PREFIX: `contract_${randomBytes(4).toString('hex')}` }),
    async storedJobIds(_app, env, queue) {
      const redis = new Redis(redisUrl!);
      try {
        const keys = await redis.keys(`${env.QUEUE_PREFIX}:${queue}:*`);
        const prefix = `${env.QUEUE_PREFIX}:${queue}:`;
        // Job hashes are `<prefix>:<queue>:<id>`; the queue's own structures have names, not ids.
        return keys.map((key) => key.slice(prefix.length)).filter((rest) => /^\d+$/.test(rest));
      } finally {
        redis.disconnect();
      }
    },
  });
});
