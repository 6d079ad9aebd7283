import { TaskQueue } from '../../src/modules/tasks/application/task-queue.js';

export type EnqueuedJob = Parameters<TaskQueue['enqueue']>[0];

/**
 * Records what the application asks of the queue. A job is pending from `enqueue` until
 * `remove` (or until a test says otherwise through `pending`); set `failure` to make
 * `enqueue` throw, as a queue backend that is down would.
 */
export class FakeTaskQueue extends TaskQueue {
  readonly enqueued: EnqueuedJob[] = [];
  readonly removed: string[] = [];
  readonly pending = new Set<string>();
  failure?: Error;

  async enqueue(task: EnqueuedJob): Promise<void> {
    if (this.failure) throw this.failure;
    this.enqueued.push({ ...task });
    this.pending.add(task.id);
  }

  async remove(taskId: string): Promise<void> {
    this.removed.push(taskId);
    this.pending.delete(taskId);
  }

  async isPending(taskId: string): Promise<boolean> {
    return this.pending.has(taskId);
  }
}
