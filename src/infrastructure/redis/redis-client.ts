import { Logger, type LoggerService } from '@nestjs/common';
import { Redis } from 'ioredis';

/** DI token of the shared ioredis client; its value is `null` when REDIS_URL is not set. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

export type RedisClient = Redis | null;

/**
 * The one general-purpose connection of the process (rate limiting, readiness). BullMQ keeps
 * its own connections: its workers block on theirs, which a shared client must never do.
 */
export function createRedisClient(
  url: string,
  logger: Pick<LoggerService, 'error' | 'log'> = new Logger('Redis'),
): Redis {
  const client = new Redis(url, {
    connectionName: 'app',
    // Commands fail after a couple of reconnect attempts instead of queueing while Redis is
    // away, so a request or a readiness probe gets an answer rather than hanging.
    maxRetriesPerRequest: 2,
  });
  // ioredis re-emits the error on every reconnect attempt: one line per outage is enough.
  let failing = false;
  client.on('error', (error: Error) => {
    if (failing) return;
    failing = true;
    logger.error({ err: error }, 'Redis connection failed; retrying');
  });
  client.on('ready', () => {
    if (!failing) return;
    failing = false;
    logger.log('Redis connection restored');
  });
  return client;
}
