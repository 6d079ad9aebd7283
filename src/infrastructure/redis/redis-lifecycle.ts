import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { withTimeout } from '../../shared/with-timeout.js';
import { checkEvictionPolicy } from './eviction-policy.js';
import { NO_PERSISTENCE_WARNING, redisPersistence } from './persistence.js';
import { REDIS_CLIENT, type RedisClient } from './redis-client.js';

/** A QUIT that gets no reply (Redis unreachable) must not hold the shutdown up. */
const QUIT_TIMEOUT_MS = 2000;

/**
 * Checks the server's eviction policy and persistence at startup (warning when it may evict
 * or keeps nothing on disk) and closes the shared client at shutdown.
 */
@Injectable()
export class RedisLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');

  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis) return;
    await checkEvictionPolicy(this.redis, this.logger);
    if ((await redisPersistence(this.redis)) === 'none')
      this.logger.warn({ persistence: 'none' }, NO_PERSISTENCE_WARNING);
  }

  // Shutdown, not module destroy: the HTTP server has drained by then, so no request still
  // needs the client.
  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    try {
      await withTimeout(this.redis.quit(), QUIT_TIMEOUT_MS);
    } catch {
      this.redis.disconnect();
    }
  }
}
