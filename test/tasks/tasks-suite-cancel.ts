import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../helpers/wait-for.js';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { TASKS_QUEUE } from '../../src/modules/tasks/infrastructure/tasks-queue.js';
import { UNKNOWN_ID } from '../helpers/http.js';
import { expectProblem, expectValidationProblem } from '../helpers/problem.js';
import { FlakyTask } from '../fakes/task-types.js';
import type { TaskJson } from './tasks-api.js';
import { type AppEnv, flaky, ms, readTask, type SuiteApp, useTasksApp } from './tasks-suite-helpers.js';

const echo = (message: string, durationMs = 0) => ({ type: 'tasks.echo', payload: { message, durationMs } });

async function jobState(queue: Queue, taskId: string): Promise<string | null> {
  const job = await queue.getJob(taskId);
  return job ? await job.getState() : null;
}

const runsOf = (app: SuiteApp, taskId: string) => app.t.app.get(FlakyTask).runs.get(taskId) ?? 0;

/** Cancelling in every state, and the attempts limit of a failing task. */
export function cancelTests(s: SuiteApp, env: AppEnv): void {
  describe('POST /v1/tasks/:id/cancel', () => {
    it('cancels a delayed task at once: 200, cancelled, nothing left to run', async () => {
      const task = await s.api.create({ ...echo('never'), delayMs: 60_000 });
      const cancelled = await readTask(await s.api.cancel(task.id), 200);
      expect(cancelled).toMatchObject({ id: task.id, status: 'cancelled', attempts: 0, startedAt: null });
      expect(cancelled.nextAttemptAt).toBeNull();
      expect(ms(cancelled.finishedAt)).toBeGreaterThanOrEqual(ms(task.createdAt));
      expect(await s.api.get(task.id)).toEqual(cancelled);
    });

    it('never starts a delayed task cancelled before its time comes', async () => {
      const task = await s.api.create({ ...echo('too late'), delayMs: 1000 });
      expect((await s.api.cancel(task.id)).status).toBe(200);
      await sleep(2500);
      expect(await s.api.get(task.id)).toMatchObject({
        status: 'cancelled',
        startedAt: null,
        attempts: 0,
        progress: 0,
        result: null,
      });
    });

    it('stops a running task: 202 with cancelRequestedAt, then cancelled before it finishes', async () => {
      const task = await s.api.create(echo('long', 20_000));
      await s.api.waitFor(task.id, (current) => current.status === 'running' && current.progress > 0, 15_000);

      const stopping = await readTask(await s.api.cancel(task.id), 202);
      expect(stopping).toMatchObject({ status: 'running', finishedAt: null });
      expect(stopping.cancelRequestedAt).toEqual(expect.any(String));
      // 202 again while the handler is stopping, 200 once it has: the request time stays the first one.
      const again = await s.api.cancel(task.id);
      expect([200, 202]).toContain(again.status);
      expect(((await again.json()) as TaskJson).cancelRequestedAt).toBe(stopping.cancelRequestedAt);

      const cancelled = await s.api.waitFor(task.id, (current) => current.status !== 'running', 15_000);
      expect(cancelled).toMatchObject({ status: 'cancelled', attempts: 1, result: null, error: null });
      expect(cancelled.progress).toBeLessThan(100);
      expect(cancelled.cancelRequestedAt).toBe(stopping.cancelRequestedAt);
      expect(ms(cancelled.finishedAt)).toBeGreaterThanOrEqual(ms(stopping.cancelRequestedAt));
    });

    it('answers 200 with the task unchanged when it is cancelled again', async () => {
      const task = await s.api.create({ ...echo('twice'), delayMs: 60_000 });
      const first = await readTask(await s.api.cancel(task.id), 200);
      const second = await readTask(await s.api.cancel(task.id), 200);
      expect(second).toEqual(first);
    });

    it('answers 409 TASKS.ALREADY_FINISHED for a succeeded task and leaves it alone', async () => {
      const task = await s.api.create(echo('done'));
      const done = await s.api.waitFor(task.id, (current) => current.status === 'succeeded', 15_000);
      const problem = await expectProblem(await s.api.cancel(task.id), 409, 'TASKS.ALREADY_FINISHED');
      expect(problem.detail).toContain(task.id);
      expect(await s.api.get(task.id)).toEqual(done);
    });

    it('answers 404 TASKS.NOT_FOUND for an unknown task and 400 for a malformed id', async () => {
      await expectProblem(await s.api.cancel(UNKNOWN_ID), 404, 'TASKS.NOT_FOUND');
      await expectValidationProblem(await s.api.cancel('not-a-uuid'), ['id']);
    });
  });

  describe('a task that fails every attempt (like a target answering 503)', () => {
    it('is tried maxAttempts times, then failed with the last error; cancelling it is a 409', async () => {
      const task = await s.api.create({ ...flaky(), maxAttempts: 2 });
      const failed = await s.api.waitFor(task.id, (current) => current.status === 'failed', 15_000);
      expect(failed).toMatchObject({
        attempts: 2,
        maxAttempts: 2,
        result: null,
        nextAttemptAt: null,
        error: { code: 'TESTS.HTTP_503', attempt: 2, message: expect.stringContaining('503') },
      });
      expect(failed.finishedAt).toEqual(expect.any(String));
      expect(runsOf(s, task.id)).toBe(2);
      await expectProblem(await s.api.cancel(task.id), 409, 'TASKS.ALREADY_FINISHED');
    });

    it('gets five attempts by default (its type says so)', async () => {
      const task = await s.api.create({ ...flaky(), delayMs: 60_000 });
      expect(task.maxAttempts).toBe(5);
      expect((await s.api.cancel(task.id)).status).toBe(200);
    });
  });

  describe('a task waiting for its next attempt', () => {
    const slow = useTasksApp({ ...env, RETRY_BASE_DELAY_MS: '60000', RETRY_MAX_DELAY_MS: '120000' }, 'slow_retry');

    it('is cancelled at once (200), its job is removed and it is not run again', async () => {
      const queue = slow.t.app.get<Queue>(getQueueToken(TASKS_QUEUE));
      const task = await slow.api.create(flaky('once'));
      const waiting: TaskJson = await slow.api.waitFor(
        task.id,
        (current) => current.status === 'queued' && current.attempts === 1 && current.nextAttemptAt !== null,
        15_000,
      );
      expect(waiting.error).toMatchObject({ code: 'TESTS.HTTP_503', attempt: 1 });
      expect(ms(waiting.nextAttemptAt) - Date.now()).toBeGreaterThan(20_000);
      expect(slow.t.app.get(FlakyTask).runs.get(task.id)).toBe(1);
      // The row is updated just before BullMQ moves the job to `delayed`; cancel after that.
      await waitFor(
        `the job of ${task.id}`,
        () => jobState(queue, task.id),
        (state) => state === 'delayed',
        {
          timeoutMs: 15_000,
        },
      );
      expect(await jobState(queue, task.id)).toBe('delayed');

      const cancelled = await readTask(await slow.api.cancel(task.id), 200);
      expect(cancelled).toMatchObject({ status: 'cancelled', attempts: 1, nextAttemptAt: null });
      expect(await jobState(queue, task.id)).toBeNull();
      await sleep(1500);
      expect(slow.t.app.get(FlakyTask).runs.get(task.id)).toBe(1);
      expect(await slow.api.get(task.id)).toEqual(cancelled);
    });
  });
}
