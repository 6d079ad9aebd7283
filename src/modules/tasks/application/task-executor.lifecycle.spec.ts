import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { executorHarness } from '../../../../test/fakes/task-executor-harness.js';
import { taskTypesContext } from '../../../../test/fakes/task-types.js';
import { waitUntil } from '../../../../test/helpers/wait-for.js';
import type { TaskContext } from '../tasks.contracts.js';

/** In-process runners start within milliseconds: look often, give up sooner. */
const FAST = { timeoutMs: 5000, intervalMs: 5 };

/** What a well-behaved runner does with its signal: stop, and let the abort reason propagate. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

describe('TaskExecutor: cancel, shutdown and progress', () => {
  let moduleRef: TestingModule;
  beforeAll(async () => {
    moduleRef = await taskTypesContext();
  });
  afterAll(() => moduleRef.close());
  afterEach(() => jest.useRealTimers());

  describe('cancel while running', () => {
    it('aborts the runner once a cancel request is recorded, and the task ends cancelled', async () => {
      const { tasks, executor, ping, seed } = executorHarness(moduleRef, { cancelPollMs: 20 });
      ping.script = (_, context) => untilAborted(context.signal);
      const task = seed();
      const running = executor.run(task.id);
      await waitUntil(() => ping.calls.length === 1, 'the runner to start', FAST);
      const { signal } = ping.calls[0].context;
      await sleep(60);
      expect(signal.aborted).toBe(false);

      await tasks.requestCancel(task.id);

      expect(await running).toEqual({ kind: 'cancelled' });
      expect(signal.reason).toBe('cancelled');
      expect(await tasks.findById(task.id)).toMatchObject({
        status: 'cancelled',
        attempts: 1,
        cancelRequestedAt: expect.any(Date),
        finishedAt: expect.any(Date),
      });
    });

    it('stops only the task that was cancelled', async () => {
      const { tasks, executor, ping, seed } = executorHarness(moduleRef, { cancelPollMs: 20 });
      const release: Record<string, () => void> = {};
      ping.script = (_, context) =>
        Promise.race([
          untilAborted(context.signal),
          new Promise((resolve) => (release[context.taskId] = () => resolve({ finished: context.taskId }))),
        ]);
      const [doomed, survivor] = [seed(), seed()];
      const runs = [executor.run(doomed.id), executor.run(survivor.id)];
      await waitUntil(() => ping.calls.length === 2, 'both runners to start', FAST);

      await tasks.requestCancel(doomed.id);
      expect(await runs[0]).toEqual({ kind: 'cancelled' });
      release[survivor.id]();

      expect(await runs[1]).toEqual({ kind: 'succeeded' });
      expect(await tasks.findById(survivor.id)).toMatchObject({
        status: 'succeeded',
        result: { finished: survivor.id },
      });
    });
  });

  describe('shutdown', () => {
    it.each([
      [10_000, 8000],
      [3000, 1500],
    ])(
      'with SHUTDOWN_TIMEOUT_MS %i, aborts a running task after %i ms and puts it back in the queue, the attempt not counted',
      async (shutdownTimeoutMs, abortAfter) => {
        jest.useFakeTimers();
        const { tasks, executor, ping, seed } = executorHarness(moduleRef, { shutdownTimeoutMs });
        ping.script = (_, context) => untilAborted(context.signal);
        const task = seed({ attempts: 1, maxAttempts: 3 });
        const running = executor.run(task.id);
        await jest.advanceTimersByTimeAsync(0);
        const { signal } = ping.calls[0].context;

        executor.beforeApplicationShutdown();
        await jest.advanceTimersByTimeAsync(abortAfter - 1);
        expect(signal.aborted).toBe(false);
        await jest.advanceTimersByTimeAsync(1);

        expect(signal.reason).toBe('shutdown');
        expect(await running).toEqual({ kind: 'interrupted' });
        expect(await tasks.findById(task.id)).toMatchObject({
          status: 'queued',
          attempts: 1,
          startedAt: expect.any(Date),
          error: null,
          finishedAt: null,
          nextAttemptAt: null,
        });
      },
    );

    it('lets a task that finishes before the deadline succeed', async () => {
      jest.useFakeTimers();
      const { tasks, executor, ping, seed } = executorHarness(moduleRef, { shutdownTimeoutMs: 10_000 });
      let finish!: () => void;
      ping.script = () => new Promise((resolve) => (finish = () => resolve({ done: true })));
      const task = seed();
      const running = executor.run(task.id);
      await jest.advanceTimersByTimeAsync(0);

      executor.beforeApplicationShutdown();
      await jest.advanceTimersByTimeAsync(7999);
      finish();

      expect(await running).toEqual({ kind: 'succeeded' });
      expect(ping.calls[0].context.signal.aborted).toBe(false);
      expect((await tasks.findById(task.id))?.status).toBe('succeeded');
    });

    it('also stops a task that started after the shutdown began (workers take jobs until they close)', async () => {
      jest.useFakeTimers();
      const { tasks, executor, ping, seed } = executorHarness(moduleRef, { shutdownTimeoutMs: 10_000 });
      ping.script = (_, context) => untilAborted(context.signal);
      executor.beforeApplicationShutdown();
      await jest.advanceTimersByTimeAsync(1000);

      const task = seed();
      const running = executor.run(task.id);
      await jest.advanceTimersByTimeAsync(7000);

      expect(await running).toEqual({ kind: 'interrupted' });
      expect((await tasks.findById(task.id))?.status).toBe('queued');
    });
  });

  it('watches for cancel requests only while a task runs', async () => {
    jest.useFakeTimers();
    const { executor, ping, seed } = executorHarness(moduleRef);
    let finish!: () => void;
    ping.script = () => new Promise<void>((resolve) => (finish = resolve));
    const running = executor.run(seed().id);
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(1);

    finish();
    await running;

    expect(jest.getTimerCount()).toBe(0);
  });

  it('records progress clamped to 0-100 and rounded', async () => {
    const { tasks, executor, ping, seed } = executorHarness(moduleRef);
    const task = seed();
    const stored: number[] = [];
    ping.script = async (_, context: TaskContext) => {
      for (const percent of [42.4, 42.5, -5, 250, 99.9]) {
        await context.reportProgress(percent);
        stored.push((await tasks.findById(task.id))!.progress);
      }
      return null;
    };

    await executor.run(task.id);

    expect(stored).toEqual([42, 43, 0, 100, 100]);
  });
});
