import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type FactoryProvider, Logger } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError, WaitingError, type WorkerOptions } from 'bullmq';
import { type TasksConfig, tasksConfig } from '../../../infrastructure/config/tasks.config.js';
import { ResilienceService } from '../../../infrastructure/resilience/resilience.service.js';
import { type AttemptOutcome, TaskExecutor } from '../application/task-executor.js';
import { TASKS_QUEUE, type TaskJobData } from './tasks-queue.js';

/** A failed attempt that will be retried after `delayMs`, which the executor has already recorded on the task. */
class RetryScheduledError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryScheduledError';
  }
}

/**
 * Thin on purpose: the executor runs the attempt and records it on the task; this turns
 * the outcome into what BullMQ needs to know. A retry is a thrown error whose delay the
 * backoff strategy reads back, so the row's `nextAttemptAt` and the job's delay are the
 * same number, and both count the attempt; a final failure is unrecoverable; an interrupted
 * attempt goes back to wait; a deferred one (owner at their running limit, a call refused
 * by an open circuit, a task that could not be started) goes back to the delayed jobs
 * (`moveToDelayed` skips the attempt on both backends), so neither side counts it.
 *
 * So BullMQ never counts an attempt the task's row does not, and never drops a job whose task
 * still has attempts: the row decides when a task fails. An attempt whose outcome could not
 * be recorded (the database gone while it ran) is logged and its job delayed, not dropped:
 * it runs again once the database is back (task handlers are safe to run twice), and if the
 * job is lost anyway the reconciler repairs the row.
 *
 * Decorated here as well as in the factory below so that the queue can be read before any
 * provider is built (`npm run wiring`); the worker is made from the factory's subclass,
 * whose own metadata carries the worker options.
 */
@Processor(TASKS_QUEUE)
export class TasksProcessor extends WorkerHost {
  private readonly logger = new Logger('Tasks');

  constructor(
    private readonly executor: TaskExecutor,
    private readonly resilience: ResilienceService,
  ) {
    super();
  }

  async process(job: Job<TaskJobData>, token?: string): Promise<string> {
    const outcome = await this.executor.run(job.data.taskId).catch((error: unknown) => this.unrecorded(job, error));
    switch (outcome.kind) {
      case 'retry':
        throw new RetryScheduledError(outcome.failure.message, outcome.delayMs);
      case 'failed':
        throw new UnrecoverableError(outcome.failure.message);
      case 'interrupted':
        await job.moveToWait(token);
        throw new WaitingError();
      case 'deferred':
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new DelayedError();
      default:
        return outcome.kind;
    }
  }

  private unrecorded(job: Job<TaskJobData>, error: unknown): AttemptOutcome {
    const delayMs = this.resilience.retryDelay(job.attemptsMade + 1);
    this.logger.error(
      { err: error, taskId: job.data.taskId, retryInMs: delayMs },
      `The outcome of the task's attempt could not be recorded; its job runs again in ${delayMs} ms`,
    );
    return { kind: 'deferred', delayMs };
  }
}

/**
 * `@Processor` options are fixed when the class is decorated, before any configuration is
 * read; this provider decorates a subclass at startup with the configured concurrency, lock
 * duration and backoff strategy. (`@nestjs/bullmq` reads the options from the instance's
 * class, so a factory provider works.)
 */
export const tasksProcessorProvider: FactoryProvider<TasksProcessor> = {
  provide: TasksProcessor,
  inject: [TaskExecutor, ResilienceService, tasksConfig.KEY],
  useFactory: (executor: TaskExecutor, resilience: ResilienceService, config: TasksConfig) => {
    const options: Omit<WorkerOptions, 'connection'> = {
      concurrency: config.concurrency,
      lockDuration: config.lockDurationMs,
      stalledInterval: config.lockDurationMs,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
          error instanceof RetryScheduledError ? error.delayMs : resilience.retryDelay(attemptsMade, error),
      },
    };
    @Processor(TASKS_QUEUE, options)
    class ConfiguredTasksProcessor extends TasksProcessor {}
    return new ConfiguredTasksProcessor(executor, resilience);
  },
};
