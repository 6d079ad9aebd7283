import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const queueConfig = registerAs('queue', () => {
  const env = loadEnv();
  return {
    redisUrl: env.REDIS_URL,
    prefix: env.QUEUE_PREFIX,
  };
});
export type QueueConfig = ReturnType<typeof queueConfig>;
