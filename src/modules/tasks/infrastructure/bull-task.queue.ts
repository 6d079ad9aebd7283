import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { TaskQueue } from '../application/task-queue.js';
import { TASKS_QUEUE, TASK_BACKOFF, type TaskJobData } from './tasks-queue.js';

const PENDING_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/**
 * BullMQ adapter. Finished jobs are removed at once: the task row keeps the history, and a
 * job id can then be reused when the reconciler queues a task again.
 */
@Injectable()
export class BullTaskQueue extends TaskQueue {
  constructor(@InjectQueue(TASKS_QUEUE) private readonly queue: Queue<TaskJobData>) {
    super();
  }

  async enqueue(task: { id: string; type: string; maxAttempts: number; delayMs?: number }): Promise<void> {
    await this.queue.add(
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
    );
  }

  async remove(taskId: string): Promise<void> {
    try {
      await this.queue.remove(taskId);
    } catch {
      // Locked by a worker that just took it: the worker finds the task cancelled and skips it.
    }
  }

  async isPending(taskId: string): Promise<boolean> {
    const job = await this.queue.getJob(taskId);
    return job ? PENDING_STATES.has(await job.getState()) : false;
  }
}
