import type { LoggerService } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { withTimeout } from '../../shared/with-timeout.js';

export type EvictionPolicyCheck = 'noeviction' | 'evicts' | 'unknown';

/**
 * BullMQ keeps jobs and locks in Redis; a server that evicts keys under memory pressure
 * silently loses them. The app still starts (the policy can be fixed live), but says so.
 */
export async function checkEvictionPolicy(
  redis: Pick<Redis, 'config'>,
  logger: Pick<LoggerService, 'warn'>,
  timeoutMs = 3000,
): Promise<EvictionPolicyCheck> {
  let reply: unknown;
  try {
    reply = await withTimeout(redis.config('GET', 'maxmemory-policy'), timeoutMs);
  } catch (error) {
    // Managed services often disable CONFIG; that is no reason to refuse to start.
    logger.warn(
      { err: error },
      'Could not check the Redis maxmemory-policy (CONFIG GET failed); BullMQ needs noeviction: make sure the server uses it',
    );
    return 'unknown';
  }
  const policy = Array.isArray(reply) ? (reply[1] as unknown) : undefined;
  if (typeof policy !== 'string') {
    logger.warn(
      { reply },
      'Could not read the Redis maxmemory-policy; BullMQ needs noeviction: make sure the server uses it',
    );
    return 'unknown';
  }
  if (policy === 'noeviction') return 'noeviction';
  logger.warn(
    { maxmemoryPolicy: policy },
    `Redis maxmemory-policy is ${policy}: under memory pressure Redis may evict BullMQ jobs and locks; set it to noeviction`,
  );
  return 'evicts';
}
