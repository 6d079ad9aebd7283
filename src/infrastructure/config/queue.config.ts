import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const queueConfig = registerAs('queue', () => {
  const env = loadEnv();
  return {
    redisUrl: env.REDIS_URL,
    prefix: env.QUEUE_PREFIX,
    /** Deadline of a queue call made while serving a request (`add`, `remove`, a job lookup). */
    timeoutMs: env.QUEUE_TIMEOUT_MS,
  };
});
export type QueueConfig = ReturnType<typeof queueConfig>;
