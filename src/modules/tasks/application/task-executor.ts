import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { type AppConfig, appConfig } from '../../../infrastructure/config/app.config.js';
import { type TasksConfig, tasksConfig } from '../../../infrastructure/config/tasks.config.js';
import { backoffDelay, spreadDelay } from '../../../infrastructure/resilience/backoff.js';
import { NotAttemptedError, PermanentError } from '../../../infrastructure/resilience/resilience.errors.js';
import { ResilienceService } from '../../../infrastructure/resilience/resilience.service.js';
import type { Task, TaskFailure } from '../domain/task.js';
import { TaskRepository } from '../domain/task.repository.js';
import type { TaskContext } from '../tasks.contracts.js';
import { failureOf } from './task-failure.js';
import { type TaskType, TaskTypeRegistry } from './task-type.registry.js';

/** What became of one attempt; the queue processor turns it into the job's outcome. */
export type AttemptOutcome =
  | { kind: 'skipped'; reason: string }
  | { kind: 'succeeded' | 'cancelled' }
  | { kind: 'retry'; delayMs: number; failure: TaskFailure }
  /**
   * No attempt counted; try again after `delayMs`: its owner already runs their share of
   * tasks, the task could not be started (the database out of reach), or its call was refused
   * by an open circuit.
   */
  | { kind: 'deferred'; delayMs: number }
  | { kind: 'failed'; failure: TaskFailure }
  /** Stopped by a shutdown before finishing: back to the queue, not a failure. */
  | { kind: 'interrupted' };

const CANCELLED = 'cancelled';
const SHUTDOWN = 'shutdown';

/** Part of the shutdown budget kept for putting interrupted tasks back in the queue. */
const REQUEUE_RESERVE_MS = 2000;

/** How long a task whose owner is at their limit waits before a worker looks at it again, plus up to as much jitter. */
export const OWNER_BUSY_DELAY_MS = 1000;

/**
 * Delays between tries to start a task while starting fails (the database out of reach),
 * growing with the failures in a row of this process: short enough that tasks resume soon
 * after the database is back, long enough that an outage is not a busy loop over every job.
 */
const START_RETRY = { baseDelayMs: 500, maxDelayMs: 10_000 };

/**
 * Runs one attempt of a task: mark it running, call its type's runner with a context, and
 * record what happened. Knows nothing about BullMQ, so it reads like the task's life cycle:
 *
 * - its owner already runs TASK_MAX_RUNNING_PER_OWNER tasks: not started, no attempt
 *   counted, tried again shortly (the queue job waits); the application's own tasks never wait;
 * - the runner resolves: `succeeded` with its result;
 * - it throws a `PermanentError`, or this was the last attempt: `failed`;
 * - it throws anything else: `queued` again with `nextAttemptAt`, after a backoff delay;
 * - it throws a `NotAttemptedError` (a call refused by an open circuit): `queued` until the
 *   circuit's cool-down is over, the attempt taken back, for up to TASK_CIRCUIT_WAIT_MAX_MS
 *   after the task first started (then it counts like any failure, so a task aimed at a dead
 *   target still ends);
 * - the task was cancelled (its signal fired with "cancelled"): `cancelled`;
 * - the process is shutting down (signal fired with "shutdown"): `queued`, the attempt taken
 *   back, run again later;
 * - the task cannot even be started (the database out of reach): nothing changes, tried again
 *   after a short, growing delay, and logged.
 *
 * Running tasks are watched for cancel requests (TASK_CANCEL_POLL_MS), which may come from
 * any process; at shutdown, tasks still running shortly before SHUTDOWN_TIMEOUT_MS are
 * aborted so that they can be put back in the queue in time.
 */
@Injectable()
export class TaskExecutor implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Tasks');
  private readonly running = new Map<string, AbortController>();
  private cancelWatch?: NodeJS.Timeout;
  private shutdownTimer?: NodeJS.Timeout;
  /** Starts that failed in a row in this process, for the delay before the next try. */
  private startFailures = 0;

  constructor(
    private readonly tasks: TaskRepository,
    private readonly types: TaskTypeRegistry,
    private readonly resilience: ResilienceService,
    private readonly pino: PinoLogger,
    @Inject(tasksConfig.KEY) private readonly config: TasksConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async run(taskId: string): Promise<AttemptOutcome> {
    let task: Awaited<ReturnType<TaskRepository['startWithinOwnerLimit']>>;
    try {
      task = await this.tasks.startWithinOwnerLimit(taskId, this.config.maxRunningPerOwner);
      this.startFailures = 0;
    } catch (error) {
      return this.notStarted(taskId, error);
    }
    if (task === 'owner-busy')
      return { kind: 'deferred', delayMs: Math.round(OWNER_BUSY_DELAY_MS * (1 + Math.random())) };
    if (!task) return { kind: 'skipped', reason: 'the task is finished, cancelled or gone' };
    const type = this.types.get(task.type);
    if (!type) {
      const failure = {
        code: 'TASKS.UNKNOWN_TYPE',
        message: `No handler for type ${task.type}`,
        attempt: task.attempts,
      };
      await this.tasks.fail(taskId, failure);
      return { kind: 'failed', failure };
    }
    const bindings = {
      taskId,
      taskType: task.type,
      attempt: task.attempts,
      requestId: task.requestId ?? undefined,
      userId: task.ownerId ?? undefined,
    };
    return this.pino.runInContext(() => this.attempt(task, type), { bindings });
  }

  /**
   * Runs before the workers are closed (closing waits for the running tasks). The timer is
   * set even when nothing runs yet, because workers keep taking jobs until they are closed,
   * and it is not cleared by a later hook: hooks of other modules may still be waiting.
   */
  beforeApplicationShutdown(): void {
    if (this.shutdownTimer) return;
    const abortAfter = Math.max(this.app.shutdownTimeoutMs - REQUEUE_RESERVE_MS, this.app.shutdownTimeoutMs / 2);
    if (this.running.size > 0) {
      this.logger.log(
        `Shutting down: ${this.running.size} running task(s) get ${abortAfter} ms to finish before they are stopped and requeued`,
      );
    }
    this.shutdownTimer = setTimeout(() => {
      for (const controller of this.running.values()) controller.abort(SHUTDOWN);
    }, abortAfter);
    this.shutdownTimer.unref();
  }

  private notStarted(taskId: string, error: unknown): AttemptOutcome {
    this.startFailures += 1;
    const delayMs = backoffDelay(this.startFailures, START_RETRY);
    this.logger.warn(
      { err: error, taskId, retryInMs: delayMs },
      `Task could not be started; no attempt counted, trying again in ${delayMs} ms`,
    );
    return { kind: 'deferred', delayMs };
  }

  private async attempt(task: Task, type: TaskType): Promise<AttemptOutcome> {
    const controller = new AbortController();
    this.track(task.id, controller);
    const logger = new Logger(`Task ${task.type}`);
    logger.log(`Attempt ${task.attempts} of ${task.maxAttempts} started`);
    const context: TaskContext = {
      taskId: task.id,
      ownerId: task.ownerId,
      requestId: task.requestId,
      attempt: task.attempts,
      maxAttempts: task.maxAttempts,
      signal: controller.signal,
      logger,
      reportProgress: (percent) => this.tasks.reportProgress(task.id, Math.min(100, Math.max(0, Math.round(percent)))),
    };

    // Only the runner's own failures are the attempt's: a failure to record the outcome (the
    // database gone meanwhile) propagates, and the queue processor keeps the job for later.
    const ran = await settle(() => type.runner.run(this.types.hydrate(type, task.payload), context)).finally(() =>
      this.untrack(task.id),
    );
    if ('error' in ran) return this.recordFailure(task, type, controller.signal, ran.error, logger);
    await this.tasks.succeed(task.id, ran.result);
    logger.log(`Attempt ${task.attempts} succeeded`);
    return { kind: 'succeeded' };
  }

  private async recordFailure(
    task: Task,
    type: TaskType,
    signal: AbortSignal,
    error: unknown,
    logger: Logger,
  ): Promise<AttemptOutcome> {
    if (signal.aborted && signal.reason === CANCELLED) {
      await this.tasks.cancel(task.id, ['running']);
      logger.log(`Cancelled during attempt ${task.attempts}`);
      return { kind: 'cancelled' };
    }
    if (signal.aborted && signal.reason === SHUTDOWN) {
      await this.tasks.release(task.id, null);
      logger.warn(
        `Attempt ${task.attempts} interrupted by shutdown; the task goes back to the queue, the attempt not counted`,
      );
      return { kind: 'interrupted' };
    }
    if (error instanceof NotAttemptedError && this.mayWait(task)) {
      const delayMs = spreadDelay(error.retryAfterMs);
      await this.tasks.release(task.id, new Date(Date.now() + delayMs));
      logger.warn(
        { taskId: task.id, code: error.code, retryInMs: delayMs },
        `Attempt ${task.attempts} not made (${error.code}); the task waits ${delayMs} ms, the attempt not counted`,
      );
      return { kind: 'deferred', delayMs };
    }

    const failure = failureOf(error, task.attempts);
    if (error instanceof PermanentError || task.attempts >= task.maxAttempts) {
      await this.tasks.fail(task.id, failure);
      logger.error(
        { err: error, taskId: task.id },
        `Attempt ${task.attempts} failed; the task failed (${failure.code})`,
      );
      return { kind: 'failed', failure };
    }
    const delayMs = this.resilience.retryDelay(task.attempts, error, type.backoff);
    await this.tasks.retryLater(task.id, failure, new Date(Date.now() + delayMs));
    logger.warn(
      { err: error, taskId: task.id, retryInMs: delayMs },
      `Attempt ${task.attempts} failed (${failure.code}); retry in ${delayMs} ms`,
    );
    return { kind: 'retry', delayMs, failure };
  }

  /** Whether a refused call may still wait instead of spending an attempt (TASK_CIRCUIT_WAIT_MAX_MS). */
  private mayWait(task: Task): boolean {
    const since = task.startedAt?.getTime() ?? Date.now();
    return Date.now() - since < this.config.circuitWaitMaxMs;
  }

  private track(taskId: string, controller: AbortController): void {
    this.running.set(taskId, controller);
    this.cancelWatch ??= setInterval(() => void this.abortCancelled(), this.config.cancelPollMs).unref();
  }

  private untrack(taskId: string): void {
    this.running.delete(taskId);
    if (this.running.size === 0) {
      clearInterval(this.cancelWatch);
      this.cancelWatch = undefined;
    }
  }

  private async abortCancelled(): Promise<void> {
    try {
      for (const id of await this.tasks.cancelRequested([...this.running.keys()]))
        this.running.get(id)?.abort(CANCELLED);
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not check running tasks for cancel requests');
    }
  }
}

async function settle<T>(work: () => Promise<T>): Promise<{ result: T } | { error: unknown }> {
  try {
    return { result: await work() };
  } catch (error) {
    return { error };
  }
}
