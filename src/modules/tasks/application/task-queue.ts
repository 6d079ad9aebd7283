/**
 * Port: the queue that tells workers which task to run. It carries only the task id; the
 * job id is the task id, so enqueueing twice is harmless.
 */
export abstract class TaskQueue {
  abstract enqueue(task: { id: string; type: string; maxAttempts: number; delayMs?: number }): Promise<void>;

  /** Drops a job that has not started (best effort: a job already running is left alone). */
  abstract remove(taskId: string): Promise<void>;

  /** Whether a job for this task is waiting, delayed or running. */
  abstract isPending(taskId: string): Promise<boolean>;
}
