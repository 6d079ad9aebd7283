import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { withTimeout } from '../../shared/with-timeout.js';
import { checkEvictionPolicy } from './eviction-policy.js';
import { REDIS_CLIENT, type RedisClient } from './redis-client.js';

/** A QUIT that gets no reply (Redis unreachable) must not hold the shutdown up. */
const QUIT_TIMEOUT_MS = 2000;

/** Checks the server's eviction policy at startup and closes the shared client at shutdown. */
@Injectable()
export class RedisLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');

  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.redis) await checkEvictionPolicy(this.redis, this.logger);
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
