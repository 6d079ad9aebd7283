export const TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses a task never leaves. */
export const FINISHED_STATUSES: readonly TaskStatus[] = ['succeeded', 'failed', 'cancelled'];

export const isFinished = (status: TaskStatus): boolean => FINISHED_STATUSES.includes(status);

/** Why the last attempt failed. */
export interface TaskFailure {
  /** Stable code (`WEBHOOKS.HTTP_503`, `RESILIENCE.CIRCUIT_OPEN`, ...) or the error's name. */
  code: string;
  message: string;
  /** The attempt (1-based) that failed. */
  attempt: number;
}

/**
 * A unit of background work and everything known about its progress. The row is the truth;
 * the queue job (same id) only says "run this task". Status changes are compare-and-set in
 * the repository, so a worker, a cancel request and the reconciler can race safely:
 *
 *   queued -> running -> succeeded | failed | queued (retry later) | cancelled
 *   queued -> cancelled
 */
export interface Task {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  status: TaskStatus;
  /** Attempts started so far (a run interrupted by a crash counts). */
  attempts: number;
  maxAttempts: number;
  /** 0-100, as last reported by the handler. */
  progress: number;
  result: unknown;
  error: TaskFailure | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When a failed attempt will be retried (status `queued`), or when a delayed task starts. */
  nextAttemptAt: Date | null;
  /** Set when a cancel was asked for while the task was running. */
  cancelRequestedAt: Date | null;
  /** `X-Request-Id` of the request that created the task, for following it through the logs. */
  requestId: string | null;
  /**
   * The user the task belongs to: who submitted it through the API. Only they (and admins)
   * can see or cancel it. Null for the application's own tasks, which only admins see.
   */
  ownerId: string | null;
  /** Unique per owner while it lasts (see `idempotencyExpiresAt`). */
  idempotencyKey: string | null;
  /** When the key stops replaying this task (TASK_IDEMPOTENCY_TTL_S after the submission). */
  idempotencyExpiresAt: Date | null;
  /** Hash of the submitted body, to tell a replay of an idempotency key from a reuse. */
  requestHash: string | null;
}

/** What a new task starts with; the rest is set by the repository. */
export type NewTask = Pick<
  Task,
  'id' | 'type' | 'payload' | 'maxAttempts' | 'nextAttemptAt' | 'requestId' | 'idempotencyKey' | 'requestHash'
> &
  Partial<Pick<Task, 'ownerId' | 'idempotencyExpiresAt'>>;

/**
 * Who reads or changes tasks through the API: a signed-in user reaches only their own tasks,
 * an admin every task. (The application's own code does not go through this check.)
 */
export interface TaskActor {
  userId: string;
  role: 'user' | 'admin';
}

/** Whether `actor` may see `task`. Callers answer "not found" when not, so ids leak nothing. */
export const canReach = (actor: TaskActor, task: Pick<Task, 'ownerId'>): boolean =>
  actor.role === 'admin' || task.ownerId === actor.userId;
