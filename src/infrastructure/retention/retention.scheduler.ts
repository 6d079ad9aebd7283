import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { type AppConfig, appConfig } from '../config/app.config.js';
import { type RetentionConfig, retentionConfig } from '../config/retention.config.js';
import { RETENTION_JOB, RETENTION_KEEP_JOBS, RETENTION_QUEUE, RETENTION_SCHEDULER_ID } from './retention-queue.js';

/** Wait before trying again to register the schedule when the queue backend did not answer. */
export const SCHEDULE_RETRY_MS = 60_000;

/**
 * Registers the retention schedule from every process that runs workers: a BullMQ job
 * scheduler (one row or key per queue and id, on PostgreSQL and on Redis), upserted under one
 * fixed id, so however many workers start there is one schedule, whose interval the latest
 * start sets. Re-upserting with the same interval keeps the pending run's time: a restart
 * does not trigger a run. The queue's global concurrency of 1 keeps a run that outlasts the
 * interval from overlapping the next one on another worker.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private retry?: NodeJS.Timeout;

  constructor(
    @InjectQueue(RETENTION_QUEUE) private readonly queue: Queue,
    @Inject(retentionConfig.KEY) private readonly config: RetentionConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.app.runsWorkers) await this.register();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  private async register(): Promise<void> {
    try {
      await this.queue.setGlobalConcurrency(1);
      await this.queue.upsertJobScheduler(
        RETENTION_SCHEDULER_ID,
        { every: this.config.intervalMs },
        {
          name: RETENTION_JOB,
          data: {},
          opts: {
            // A failed run is not retried: the next one comes within the interval.
            attempts: 1,
            removeOnComplete: { count: RETENTION_KEEP_JOBS },
            removeOnFail: { count: RETENTION_KEEP_JOBS },
          },
        },
      );
      this.logger.log(`Retention runs every ${this.config.intervalMs} ms`);
    } catch (error) {
      // The start goes on: tasks must not wait for housekeeping. Try again later.
      this.logger.error({ err: error }, `Retention schedule not registered; trying again in ${SCHEDULE_RETRY_MS} ms`);
      this.retry = setTimeout(() => void this.register(), SCHEDULE_RETRY_MS).unref();
    }
  }
}
