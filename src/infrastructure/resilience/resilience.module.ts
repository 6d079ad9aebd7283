import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type QueueConfig, queueConfig } from '../config/queue.config.js';
import { type ResilienceConfig, resilienceConfig } from '../config/resilience.config.js';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis-client.js';
import { CircuitStore } from './circuit-store/circuit-store.js';
import { PostgresCircuitStore } from './circuit-store/postgres-circuit.store.js';
import { RedisCircuitStore } from './circuit-store/redis-circuit.store.js';
import { setDependencyRetryAfter } from './dependency-unavailable.js';
import { ResilienceHealthIndicator } from './resilience.health.js';
import { ResilienceService } from './resilience.service.js';

/**
 * Timeouts, circuit breakers and retry delays for outbound calls, configured from RETRY_*,
 * OUTBOUND_* and CIRCUIT_BREAKER_*. The circuits are shared by every process: in Redis when
 * REDIS_URL is set, otherwise in PostgreSQL (`circuit_breakers`). Also sets the
 * `Retry-After` of the 503 answered when a dependency is out of reach (DEPENDENCY_RETRY_AFTER_S).
 */
@Global()
@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: CircuitStore,
      inject: [REDIS_CLIENT, queueConfig.KEY, getDataSourceToken()],
      useFactory: (redis: RedisClient, queue: QueueConfig, db: DataSource): CircuitStore =>
        redis ? new RedisCircuitStore(redis, queue.prefix) : new PostgresCircuitStore(db),
    },
    ResilienceService,
    ResilienceHealthIndicator,
  ],
  exports: [ResilienceService, ResilienceHealthIndicator],
})
export class ResilienceModule implements OnModuleInit {
  constructor(@Inject(resilienceConfig.KEY) private readonly config: ResilienceConfig) {}

  onModuleInit(): void {
    setDependencyRetryAfter(this.config.dependencyRetryAfterS);
  }
}
