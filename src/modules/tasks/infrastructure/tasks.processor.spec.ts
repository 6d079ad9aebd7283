import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError, WaitingError } from 'bullmq';
import { ResilienceService } from '../../../infrastructure/resilience/resilience.service.js';
import type { AttemptOutcome, TaskExecutor } from '../application/task-executor.js';
import type { TaskJobData } from './tasks-queue.js';
import { TasksProcessor } from './tasks.processor.js';

const TASK_ID = '0199d3a0-0000-7000-8000-000000000001';

function fakeJob() {
  const moved: { to: string; at?: number }[] = [];
  const job = {
    data: { taskId: TASK_ID },
    attemptsMade: 1,
    moveToDelayed: async (at: number) => void moved.push({ to: 'delayed', at }),
    moveToWait: async () => void moved.push({ to: 'wait' }),
  };
  return { job: job as unknown as Job<TaskJobData>, moved };
}

function processorFor(run: () => Promise<AttemptOutcome>) {
  const resilience = new ResilienceService({
    retry: { baseDelayMs: 100, maxDelayMs: 1000 },
    timeoutMs: 1000,
    breaker: { threshold: 5, cooldownMs: 1000 },
  });
  return new TasksProcessor({ run } as unknown as TaskExecutor, resilience);
}

describe('TasksProcessor: what BullMQ is told', () => {
  afterEach(() => jest.restoreAllMocks());

  it('delays a deferred job without counting an attempt (moveToDelayed, DelayedError)', async () => {
    const { job, moved } = fakeJob();
    const before = Date.now();

    await expect(processorFor(async () => ({ kind: 'deferred', delayMs: 5000 })).process(job, 'token')).rejects.toThrow(
      DelayedError,
    );

    expect(moved).toEqual([{ to: 'delayed', at: expect.any(Number) }]);
    expect(moved[0].at).toBeGreaterThanOrEqual(before + 5000);
  });

  it('puts an interrupted job back to wait, uncounted', async () => {
    const { job, moved } = fakeJob();

    await expect(processorFor(async () => ({ kind: 'interrupted' })).process(job, 'token')).rejects.toThrow(
      WaitingError,
    );
    expect(moved).toEqual([{ to: 'wait' }]);
  });

  it('ends the job of a failed task for good', async () => {
    const { job } = fakeJob();
    const failure = { code: 'X', message: 'broken', attempt: 3 };

    await expect(processorFor(async () => ({ kind: 'failed', failure })).process(job, 'token')).rejects.toThrow(
      UnrecoverableError,
    );
  });

  it('keeps the job of an attempt whose outcome could not be recorded, and logs it with the task id', async () => {
    const { job, moved } = fakeJob();
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const gone = new Error('Connection terminated unexpectedly');

    await expect(processorFor(() => Promise.reject(gone)).process(job, 'token')).rejects.toThrow(DelayedError);

    expect(moved).toEqual([{ to: 'delayed', at: expect.any(Number) }]);
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ err: gone, taskId: TASK_ID, retryInMs: expect.any(Number) }),
      expect.stringMatching(/could not be recorded/),
    );
  });
});
