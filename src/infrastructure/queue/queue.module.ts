import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { TerminusModule } from '@nestjs/terminus';
import { type QueueConfig, queueConfig } from '../config/queue.config.js';
import { ManagedQueue } from './managed-queue.js';
import { ManagedWorker } from './managed-worker.js';
import { QUEUE_BACKEND, QueueBackendModule } from './queue-backend.module.js';
import type { QueueBackend } from './queue-backend.js';
import { QueueHealthIndicator, HEALTH_PROBE_QUEUE } from './queue.health.js';
import { WorkerLifecycle } from './worker-lifecycle.js';

BullModule.queueClass = ManagedQueue;
BullModule.workerClass = ManagedWorker;

/**
 * BullMQ for every feature module. Feature modules call `BullModule.registerQueue(...)` and
 * declare `@Processor` classes; which backend runs (PostgreSQL or Redis) and whether this
 * process consumes jobs (APP_ROLE) are decided here.
 */
@Global()
@Module({
  imports: [
    QueueBackendModule,
    DiscoveryModule,
    TerminusModule,
    BullModule.forRootAsync({
      imports: [QueueBackendModule],
      inject: [QUEUE_BACKEND, queueConfig.KEY],
      useFactory: (backend: QueueBackend, config: QueueConfig) => ({
        connection: backend.connection as never,
        prefix: config.prefix,
      }),
    }),
    BullModule.registerQueue({ name: HEALTH_PROBE_QUEUE }),
  ],
  providers: [WorkerLifecycle, QueueHealthIndicator],
  exports: [QueueBackendModule, QueueHealthIndicator],
})
export class QueueModule {}
