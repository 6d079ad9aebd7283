import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { type QueueConfig, queueConfig } from '../config/queue.config.js';
import { createRedisClient, REDIS_CLIENT, type RedisClient } from './redis-client.js';
import { RedisLifecycle } from './redis-lifecycle.js';
import { RedisHealthIndicator } from './redis.health.js';

/**
 * The shared Redis client when REDIS_URL is set (`null` otherwise: Redis is optional), its
 * readiness check, and its lifecycle. Global, so any module can inject `REDIS_CLIENT`.
 */
@Global()
@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [queueConfig.KEY],
      useFactory: (config: QueueConfig): RedisClient => (config.redisUrl ? createRedisClient(config.redisUrl) : null),
    },
    RedisLifecycle,
    RedisHealthIndicator,
  ],
  exports: [REDIS_CLIENT, RedisHealthIndicator],
})
export class RedisModule {}
