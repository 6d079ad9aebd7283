import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { FactoryProvider } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError, WaitingError, type WorkerOptions } from 'bullmq';
import { type TasksConfig, tasksConfig } from '../../../infrastructure/config/tasks.config.js';
import { ResilienceService } from '../../../infrastructure/resilience/resilience.service.js';
import { TaskExecutor } from '../application/task-executor.js';
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
 * same number; a final failure is unrecoverable; an interrupted attempt goes back to wait;
 * a task whose owner is at their running limit goes back to the delayed jobs without
 * counting an attempt (`moveToDelayed` skips it on both backends), so it cannot run out of
 * attempts by waiting its turn.
 *
 * Decorated here as well as in the factory below so that the queue can be read before any
 * provider is built (`npm run wiring`); the worker is made from the factory's subclass,
 * whose own metadata carries the worker options.
 */
@Processor(TASKS_QUEUE)
export class TasksProcessor extends WorkerHost {
  constructor(private readonly executor: TaskExecutor) {
    super();
  }

  async process(job: Job<TaskJobData>, token?: string): Promise<string> {
    const outcome = await this.executor.run(job.data.taskId);
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
    return new ConfiguredTasksProcessor(executor);
  },
};
