import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { executorHarness } from '../../../../test/fakes/task-executor-harness.js';
import { TASKS_CONFIG, taskTypesContext } from '../../../../test/fakes/task-types.js';
import { CircuitOpenError, NotAttemptedError } from '../../../infrastructure/resilience/resilience.errors.js';

const HOUR_MS = 3_600_000;

describe('TaskExecutor: what does not count as an attempt', () => {
  let moduleRef: TestingModule;
  beforeAll(async () => {
    moduleRef = await taskTypesContext();
  });
  afterAll(() => moduleRef.close());
  afterEach(() => jest.restoreAllMocks());

  describe('a call refused by an open circuit', () => {
    it("waits for the circuit's remaining open time (plus a spread), the attempt taken back", async () => {
      const { tasks, executor, ping, seed } = executorHarness(moduleRef);
      ping.script = () => Promise.reject(new CircuitOpenError('webhook-endpoint:abc', 8000));
      const task = seed({
        attempts: 2,
        maxAttempts: 3,
        error: { code: 'WEBHOOKS.HTTP_503', message: 'x', attempt: 2 },
      });
      const before = Date.now();

      const outcome = await executor.run(task.id);

      expect(outcome).toEqual({ kind: 'deferred', delayMs: expect.any(Number) });
      const { delayMs } = outcome as { delayMs: number };
      expect(delayMs).toBeGreaterThanOrEqual(8000);
      expect(delayMs).toBeLessThanOrEqual(10_000);
      const row = await tasks.findById(task.id);
      expect(row).toMatchObject({ status: 'queued', attempts: 2, finishedAt: null, error: task.error });
      expect(row!.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + delayMs);
    });

    it('never runs out of attempts, however often the circuit refuses', async () => {
      const { tasks, executor, ping, seed } = executorHarness(moduleRef);
      ping.script = () => Promise.reject(new NotAttemptedError('Paused', 'RESILIENCE.CIRCUIT_OPEN', 1000));
      const task = seed({ maxAttempts: 1 });

      for (let refusals = 0; refusals < 5; refusals++) expect((await executor.run(task.id)).kind).toBe('deferred');

      expect(await tasks.findById(task.id)).toMatchObject({ status: 'queued', attempts: 0 });
      ping.script = async () => ({ delivered: true });
      expect(await executor.run(task.id)).toEqual({ kind: 'succeeded' });
      expect(await tasks.findById(task.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    });

    it('counts as a failed attempt once the task has waited TASK_CIRCUIT_WAIT_MAX_MS since it first started', async () => {
      const { tasks, executor, ping, seed } = executorHarness(moduleRef);
      ping.script = () => Promise.reject(new CircuitOpenError('smtp', 8000));
      const task = seed({ maxAttempts: 3, startedAt: new Date(Date.now() - TASKS_CONFIG.circuitWaitMaxMs - HOUR_MS) });

      const outcome = await executor.run(task.id);

      expect(outcome).toMatchObject({ kind: 'retry', failure: { code: 'RESILIENCE.CIRCUIT_OPEN', attempt: 1 } });
      expect((outcome as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(8000);
      expect(await tasks.findById(task.id)).toMatchObject({ status: 'queued', attempts: 1 });
    });
  });

  describe('a task that cannot be started', () => {
    it('is deferred with a growing delay, nothing counted, and logged with its id', async () => {
      const { tasks, executor, ping, seed } = executorHarness(moduleRef);
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      jest.spyOn(tasks, 'startWithinOwnerLimit').mockRejectedValue(down);
      const task = seed();

      const first = (await executor.run(task.id)) as { kind: string; delayMs: number };
      await executor.run(task.id);
      await executor.run(task.id);
      const fourth = (await executor.run(task.id)) as { kind: string; delayMs: number };

      expect(first.kind).toBe('deferred');
      expect(first.delayMs).toBeLessThanOrEqual(500);
      expect(fourth.kind).toBe('deferred');
      expect(fourth.delayMs).toBeGreaterThanOrEqual(2000);
      expect(ping.calls).toEqual([]);
      expect(await tasks.findById(task.id)).toEqual(task);
      expect(warn).toHaveBeenCalledTimes(4);
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ err: down, taskId: task.id, retryInMs: first.delayMs }),
        expect.stringMatching(/could not be started; no attempt counted/),
      );
    });

    it('starts again from the shortest delay once a start succeeded', async () => {
      const { tasks, executor, seed } = executorHarness(moduleRef);
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const start = jest.spyOn(tasks, 'startWithinOwnerLimit');
      start.mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
      start.mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
      start.mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
      await executor.run(seed().id);
      await executor.run(seed().id);
      await executor.run(seed().id);

      expect(await executor.run(seed().id)).toEqual({ kind: 'succeeded' });
      start.mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
      expect(((await executor.run(seed().id)) as { delayMs: number }).delayMs).toBeLessThanOrEqual(500);
    });
  });

  it('lets a failure to record the outcome propagate (the processor keeps the job), the runner having run', async () => {
    const { tasks, executor, ping, seed } = executorHarness(moduleRef);
    const gone = new Error('Connection terminated unexpectedly');
    jest.spyOn(tasks, 'succeed').mockRejectedValue(gone);
    const task = seed();

    await expect(executor.run(task.id)).rejects.toBe(gone);

    expect(ping.calls).toHaveLength(1);
    expect(await tasks.findById(task.id)).toMatchObject({ status: 'running', attempts: 1, error: null });
  });
});
