import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type QueueConfig, queueConfig } from '../config/queue.config.js';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis-client.js';
import { CircuitStore } from './circuit-store/circuit-store.js';
import { PostgresCircuitStore } from './circuit-store/postgres-circuit.store.js';
import { RedisCircuitStore } from './circuit-store/redis-circuit.store.js';
import { ResilienceHealthIndicator } from './resilience.health.js';
import { ResilienceService } from './resilience.service.js';

/**
 * Timeouts, circuit breakers and retry delays for outbound calls, configured from RETRY_*,
 * OUTBOUND_* and CIRCUIT_BREAKER_*. The circuits are shared by every process: in Redis when
 * REDIS_URL is set, otherwise in PostgreSQL (`circuit_breakers`).
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
export class ResilienceModule {}
