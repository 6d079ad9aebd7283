import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { RETENTION_QUEUE } from './retention-queue.js';
import { type RetentionRunResult, RetentionRunner } from './retention.runner.js';

/**
 * Takes the scheduler's jobs on worker processes (`WorkerLifecycle` starts it by APP_ROLE).
 * One at a time here, and one across all processes by the queue's global concurrency (set
 * by `RetentionScheduler`). The run's counts become the job's return value.
 */
@Processor(RETENTION_QUEUE, { concurrency: 1 })
export class RetentionProcessor extends WorkerHost {
  constructor(private readonly runner: RetentionRunner) {
    super();
  }

  async process(_job: Job): Promise<RetentionRunResult> {
    return this.runner.runAll();
  }
}
