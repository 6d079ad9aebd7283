import type { NewTask, Task, TaskFailure, TaskStatus } from './task.js';
import { TaskNotFoundError } from './task.errors.js';

export interface TaskListCriteria {
  /** Only this owner's tasks; `undefined`: everyone's (an admin's view). */
  ownerId?: string;
  status?: TaskStatus;
  type?: string;
  /** Newest first: only tasks with an id below this one. */
  beforeId?: string;
  limit: number;
}

/**
 * Port: where tasks are kept. Every state change is a compare-and-set on the current status
 * and answers `null` when the task was not in a state that allows it (someone else moved it
 * first), so callers never overwrite a newer state.
 */
export abstract class TaskRepository {
  abstract findById(id: string): Promise<Task | null>;

  async getById(id: string): Promise<Task> {
    const task = await this.findById(id);
    if (!task) throw new TaskNotFoundError(id);
    return task;
  }

  /**
   * Inserts the task, or returns the existing task of the same owner holding the same
   * idempotency key. An expired key (`idempotencyExpiresAt` passed) is taken off its old task
   * first, so it makes a new one. Owners do not share keys: null (the application's own
   * tasks) is one more owner.
   */
  abstract insert(task: NewTask): Promise<{ task: Task; created: boolean }>;

  abstract list(criteria: TaskListCriteria): Promise<Task[]>;

  /** queued | running -> running, counting one more attempt. `null`: finished or cancelled meanwhile. */
  abstract start(id: string): Promise<Task | null>;

  /**
   * `start`, unless the task's owner already has `maxRunningPerOwner` other tasks running:
   * then nothing changes and the answer is `'owner-busy'`. Decided atomically across
   * processes (two workers cannot both take the owner's last slot). Ownerless tasks (the
   * application's own) are never held back.
   */
  abstract startWithinOwnerLimit(id: string, maxRunningPerOwner: number): Promise<Task | null | 'owner-busy'>;

  abstract reportProgress(id: string, progress: number): Promise<void>;

  /** running -> succeeded. */
  abstract succeed(id: string, result: unknown): Promise<Task | null>;

  /** running -> queued until `nextAttemptAt`, keeping why the attempt failed. */
  abstract retryLater(id: string, failure: TaskFailure, nextAttemptAt: Date): Promise<Task | null>;

  /** running -> failed (or, with `from`, any of those statuses -> failed). */
  abstract fail(id: string, failure: TaskFailure, from?: TaskStatus[]): Promise<Task | null>;

  /** `from` -> cancelled. */
  abstract cancel(id: string, from: TaskStatus[]): Promise<Task | null>;

  /** running: records that the worker should stop it. */
  abstract requestCancel(id: string): Promise<Task | null>;

  /** running -> queued, when the attempt was interrupted rather than failed (shutdown, lost worker). */
  abstract requeue(id: string, unchangedSince?: Date): Promise<Task | null>;

  /**
   * running -> queued, taking back the attempt that `start` counted: the attempt did not
   * happen (a call refused by an open circuit) or was cut short by a shutdown. It runs again
   * at `nextAttemptAt` (null: as soon as a worker takes it); the last failure stays.
   */
  abstract release(id: string, nextAttemptAt: Date | null): Promise<Task | null>;

  /** Of these running tasks, the ids whose cancellation was asked for. */
  abstract cancelRequested(ids: string[]): Promise<string[]>;

  /**
   * queued or running tasks untouched since `before` (and not waiting for a retry time
   * later than that): candidates whose queue job may be missing.
   */
  abstract findUnsettled(before: Date, limit: number): Promise<Task[]>;
}
