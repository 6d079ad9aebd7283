import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RETENTION_QUEUE } from './retention-queue.js';
import { RetentionProcessor } from './retention.processor.js';
import { RetentionRunner } from './retention.runner.js';
import { RetentionScheduler } from './retention.scheduler.js';

/**
 * Retention for every module: modules declare `@RetentionSweep` providers (see
 * `retention-sweep.ts`); this module runs them all every RETENTION_INTERVAL_MS, on one worker
 * process at a time, through a BullMQ job scheduler on its own queue.
 */
@Module({
  imports: [DiscoveryModule, BullModule.registerQueue({ name: RETENTION_QUEUE })],
  providers: [RetentionRunner, RetentionProcessor, RetentionScheduler],
  exports: [RetentionRunner],
})
export class RetentionModule {}
