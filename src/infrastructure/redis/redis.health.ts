import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '../../shared/with-timeout.js';
import { NO_PERSISTENCE_WARNING, redisPersistence } from './persistence.js';
import { REDIS_CLIENT, type RedisClient } from './redis-client.js';

/**
 * Ready when the shared Redis client gets a PONG within the timeout. The check also says how
 * the server persists (`persistence`), with a `warning` when it keeps nothing on disk: still
 * ready, but a Redis restart then loses the queued jobs until reconciliation queues them again.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  /** False when REDIS_URL is not set: there is nothing to check. */
  get configured(): boolean {
    return this.redis !== null;
  }

  async check(key = 'redis', timeoutMs = 3000) {
    const indicator = this.health.check(key);
    if (!this.redis) return indicator.down({ message: 'REDIS_URL is not set' });
    try {
      await withTimeout(this.redis.ping(), timeoutMs);
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
    const persistence = await redisPersistence(this.redis, timeoutMs);
    return indicator.up(persistence === 'none' ? { persistence, warning: NO_PERSISTENCE_WARNING } : { persistence });
  }
}
