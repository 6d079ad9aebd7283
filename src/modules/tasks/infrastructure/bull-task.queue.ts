import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { type QueueConfig, queueConfig } from '../../../infrastructure/config/queue.config.js';
import { withDeadline } from '../../../infrastructure/resilience/dependency-unavailable.js';
import { TaskQueue } from '../application/task-queue.js';
import { TASKS_QUEUE, TASK_BACKOFF, type TaskJobData } from './tasks-queue.js';

const PENDING_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/**
 * BullMQ adapter. Finished jobs are removed at once: the task row keeps the history, and a
 * job id can then be reused when the reconciler queues a task again.
 *
 * Every call has a deadline (QUEUE_TIMEOUT_MS): with Redis away, BullMQ's connection keeps
 * commands until Redis is back, and a request waited for as long as the outage lasted. Past
 * the deadline the call fails with `DependencyUnavailableError` (a request answers 503); the
 * command may still reach Redis later, which is harmless since the job id is the task id.
 */
@Injectable()
export class BullTaskQueue extends TaskQueue {
  constructor(
    @InjectQueue(TASKS_QUEUE) private readonly queue: Queue<TaskJobData>,
    @Inject(queueConfig.KEY) private readonly config: QueueConfig,
  ) {
    super();
  }

  async enqueue(task: { id: string; type: string; maxAttempts: number; delayMs?: number }): Promise<void> {
    await this.bounded(
      this.queue.add(
        task.type,
        { taskId: task.id },
        {
          jobId: task.id,
          delay: task.delayMs,
          attempts: task.maxAttempts,
          backoff: { type: TASK_BACKOFF },
          removeOnComplete: true,
          removeOnFail: true,
        },
      ),
    );
  }

  async remove(taskId: string): Promise<void> {
    try {
      await this.bounded(this.queue.remove(taskId));
    } catch {
      // Locked by a worker that just took it (the worker finds the task cancelled and skips
      // it), or the queue is out of reach (the job runs later and is skipped the same way).
    }
  }

  async isPending(taskId: string): Promise<boolean> {
    const job = await this.bounded(this.queue.getJob(taskId));
    return job ? PENDING_STATES.has(await this.bounded(job.getState())) : false;
  }

  private bounded<T>(call: Promise<T>): Promise<T> {
    return withDeadline(call, this.config.timeoutMs, 'queue');
  }
}
