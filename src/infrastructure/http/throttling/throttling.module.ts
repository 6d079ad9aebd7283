import { Module, type Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { type HttpConfig, httpConfig } from '../../config/http.config.js';
import { REDIS_CLIENT, type RedisClient } from '../../redis/redis-client.js';
import { RedisModule } from '../../redis/redis.module.js';
import { AuthenticationFailureGuard } from './authentication-failure.guard.js';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';
import { RateLimitBudgets } from './rate-limit.budgets.js';
import { RateLimitInterceptor } from './rate-limit.interceptor.js';
import { RateLimitStorage } from './rate-limit.storage.js';
import { RedisFixedWindowThrottlerStorage } from './redis-fixed-window.storage.js';

const providers: Provider[] = [
  {
    provide: RateLimitBudgets,
    inject: [httpConfig.KEY],
    useFactory: (http: HttpConfig) => new RateLimitBudgets(http.throttle),
  },
  {
    provide: RateLimitStorage,
    inject: [REDIS_CLIENT, httpConfig.KEY],
    // With Redis the limits hold across every instance; in memory they hold per process.
    useFactory: (redis: RedisClient, http: HttpConfig): RateLimitStorage =>
      redis
        ? new RedisFixedWindowThrottlerStorage(redis, http.throttle.keyPrefix, http.throttle.storeTimeoutMs)
        : new FixedWindowThrottlerStorage(),
  },
];

/**
 * Rate limits (see docs/architecture.md, "Rate limits and authentication"), in two places of
 * the pipeline:
 *
 * - `AuthenticationFailureGuard`, a global guard. Global guards run in the order their modules
 *   are imported, and this module comes before `AuthModule` in `AppModule`: an address with
 *   too many failed authentications gets 429 before its token is verified.
 * - `RateLimitInterceptor`, a global interceptor, so after every guard: it counts against the
 *   verified principal (the address only when anonymous), one general budget across routes
 *   plus the named budgets of `@RateLimit(...)` routes.
 *
 * The client address is Fastify's `request.ip`, resolved through the proxies TRUST_PROXY names.
 */
@Module({
  imports: [RedisModule],
  providers: [
    ...providers,
    { provide: APP_GUARD, useClass: AuthenticationFailureGuard },
    { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
  ],
})
export class ThrottlingModule {}
