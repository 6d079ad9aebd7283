import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { type HttpConfig, httpConfig } from '../../config/http.config.js';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';

/**
 * Global rate limit per client address. Fastify resolves `request.ip` through exactly
 * TRUST_PROXY hops, and the guard keys on it, so a forged X-Forwarded-For buys nothing.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [httpConfig.KEY],
      useFactory: (http: HttpConfig) => ({
        throttlers: [{ name: 'default', ttl: http.throttle.ttlMs, limit: http.throttle.limit }],
        storage: new FixedWindowThrottlerStorage(),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class ThrottlingModule {}
