import { Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  getOptionsToken,
  type ThrottlerGenerateKeyFunction,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { type HttpConfig, httpConfig } from '../../config/http.config.js';
import { REDIS_CLIENT, type RedisClient } from '../../redis/redis-client.js';
import { RedisModule } from '../../redis/redis.module.js';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';
import { RedisFixedWindowThrottlerStorage } from './redis-fixed-window.storage.js';

/**
 * The library's default key (one counter per route and client) without the sha256 it takes
 * of it on every request: the key is short and holds nothing secret, so hashing buys nothing.
 */
const generateKey: ThrottlerGenerateKeyFunction = (context, tracker, throttlerName) =>
  `${context.getClass().name}.${context.getHandler().name}:${throttlerName}:${tracker}`;

/**
 * The two tokens `ThrottlerGuard` injects, provided here rather than through
 * `ThrottlerModule.forRootAsync`: that module would hand our storage out through a second
 * provider, and Nest would run its lifecycle hooks (the in-memory sweeper) twice.
 */
const throttlerProviders: Provider[] = [
  {
    provide: getOptionsToken(),
    inject: [httpConfig.KEY],
    useFactory: (http: HttpConfig): ThrottlerModuleOptions => ({
      throttlers: [{ name: 'default', ttl: http.throttle.ttlMs, limit: http.throttle.limit, generateKey }],
    }),
  },
  {
    provide: ThrottlerStorage,
    inject: [REDIS_CLIENT, httpConfig.KEY],
    // With Redis the limit holds across every instance; in memory it holds per process.
    useFactory: (redis: RedisClient, http: HttpConfig): ThrottlerStorage =>
      redis ? new RedisFixedWindowThrottlerStorage(redis, http.throttle.keyPrefix) : new FixedWindowThrottlerStorage(),
  },
];

/**
 * Global rate limit per client address. Fastify resolves `request.ip` through exactly
 * TRUST_PROXY hops, and the guard keys on it, so a forged X-Forwarded-For buys nothing.
 */
@Module({
  imports: [RedisModule],
  providers: [...throttlerProviders, { provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class ThrottlingModule {}
