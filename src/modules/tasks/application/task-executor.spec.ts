import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { RETRY_BASE_MS, executorHarness } from '../../../../test/fakes/task-executor-harness.js';
import { GREET, GreetPayload, PING, taskTypesContext } from '../../../../test/fakes/task-types.js';
import { newId } from '../../../shared/ids.js';
import { PermanentError, TransientError } from '../../../infrastructure/resilience/resilience.errors.js';
import { OWNER_BUSY_DELAY_MS } from './task-executor.js';
import { HANDLER_FAILED } from './task-failure.js';

describe('TaskExecutor: outcomes of an attempt', () => {
  let moduleRef: TestingModule;
  beforeAll(async () => {
    moduleRef = await taskTypesContext();
  });
  afterAll(() => moduleRef.close());

  it('records the result of a successful run: succeeded, progress 100', async () => {
    const { tasks, executor, greet, seed } = executorHarness(moduleRef);
    const task = seed({ type: GREET, payload: { name: 'Ada' }, maxAttempts: 5, requestId: 'req-1' });
    greet.script = async (payload) => ({ greeting: `hi ${(payload as GreetPayload).name}` });

    expect(await executor.run(task.id)).toEqual({ kind: 'succeeded' });

    expect(await tasks.findById(task.id)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      progress: 100,
      result: { greeting: 'hi Ada' },
      error: null,
      startedAt: expect.any(Date),
      finishedAt: expect.any(Date),
    });
  });

  it('gives the runner its payload as the type DTO, and a context for this attempt', async () => {
    const { executor, greet, seed } = executorHarness(moduleRef);
    const task = seed({ type: GREET, payload: { name: 'Ada' }, attempts: 1, maxAttempts: 5, requestId: 'req-1' });

    await executor.run(task.id);

    expect(greet.calls).toHaveLength(1);
    const [{ payload, context }] = greet.calls;
    expect(payload).toBeInstanceOf(GreetPayload);
    expect(payload).toMatchObject({ name: 'Ada' });
    expect(context).toMatchObject({ taskId: task.id, requestId: 'req-1', attempt: 2, maxAttempts: 5 });
    expect(context.signal.aborted).toBe(false);
  });

  it('runs the attempt in a logging context naming the task, its type, the attempt and the request', async () => {
    const { pino, executor, seed } = executorHarness(moduleRef);
    const withRequest = seed({ requestId: 'req-7' });
    const withoutRequest = seed();

    await executor.run(withRequest.id);
    await executor.run(withoutRequest.id);

    expect(pino.contexts).toEqual([
      { bindings: { taskId: withRequest.id, taskType: PING, attempt: 1, requestId: 'req-7' } },
      { bindings: { taskId: withoutRequest.id, taskType: PING, attempt: 1, requestId: undefined } },
    ]);
  });

  it('schedules a retry after a plain error on an attempt that is not the last', async () => {
    const { tasks, executor, ping, seed } = executorHarness(moduleRef);
    const task = seed({ maxAttempts: 3 });
    ping.script = async () => {
      throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    };
    const before = Date.now();

    const outcome = await executor.run(task.id);
    const after = Date.now();

    const failure = { ...HANDLER_FAILED, attempt: 1 };
    expect(outcome).toEqual({ kind: 'retry', delayMs: expect.any(Number), failure });
    const { delayMs } = outcome as { delayMs: number };
    expect(delayMs).toBeGreaterThanOrEqual(RETRY_BASE_MS / 2);
    expect(delayMs).toBeLessThanOrEqual(RETRY_BASE_MS);
    const row = await tasks.findById(task.id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, error: failure, finishedAt: null });
    expect(row!.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + delayMs);
    expect(row!.nextAttemptAt!.getTime()).toBeLessThanOrEqual(after + delayMs);
  });

  it("uses the type's own backoff, growing with the attempt", async () => {
    const { executor, greet, seed } = executorHarness(moduleRef);
    greet.script = async () => {
      throw new Error('try later');
    };
    const delays: number[] = [];
    for (const attempts of [0, 1, 2]) {
      const task = seed({ type: GREET, payload: { name: 'Ada' }, attempts, maxAttempts: 5 });
      delays.push(((await executor.run(task.id)) as { delayMs: number }).delayMs);
    }

    // GreetTask: baseDelayMs 10, maxDelayMs 40.
    expect(delays[0]).toBeGreaterThanOrEqual(5);
    expect(delays[0]).toBeLessThanOrEqual(10);
    expect(delays[1]).toBeGreaterThanOrEqual(Math.max(10, delays[0]));
    expect(delays[2]).toBeGreaterThanOrEqual(Math.max(20, delays[1]));
    expect(delays[2]).toBeLessThanOrEqual(40);
  });

  it("waits at least a TransientError's Retry-After", async () => {
    const { executor, ping, seed } = executorHarness(moduleRef);
    ping.script = async () => {
      throw new TransientError('slow down', 'WEBHOOKS.HTTP_429', 30_000);
    };

    const outcome = await executor.run(seed().id);

    expect(outcome).toMatchObject({ kind: 'retry', delayMs: 30_000, failure: { code: 'WEBHOOKS.HTTP_429' } });
  });

  it('fails the task when the last attempt fails', async () => {
    const { tasks, executor, ping, seed } = executorHarness(moduleRef);
    const task = seed({ attempts: 2, maxAttempts: 3 });
    ping.script = async () => {
      throw new Error('still broken');
    };

    const outcome = await executor.run(task.id);

    const failure = { ...HANDLER_FAILED, attempt: 3 };
    expect(outcome).toEqual({ kind: 'failed', failure });
    expect(await tasks.findById(task.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: failure,
      finishedAt: expect.any(Date),
      nextAttemptAt: null,
    });
  });

  it('fails the task at once on a PermanentError, whatever attempts are left', async () => {
    const { tasks, executor, ping, seed } = executorHarness(moduleRef);
    const task = seed({ maxAttempts: 5 });
    ping.script = async () => {
      throw new PermanentError('410 Gone', 'WEBHOOKS.HTTP_410');
    };

    const outcome = await executor.run(task.id);

    expect(outcome).toEqual({
      kind: 'failed',
      failure: { code: 'WEBHOOKS.HTTP_410', message: '410 Gone', attempt: 1 },
    });
    expect(await tasks.findById(task.id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it.each([
    ['an error whose code is not a string', Object.assign(new TypeError('bad'), { code: 42 })],
    ['a thrown string', 'oops'],
    [
      'an error naming an internal address',
      Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432 (db.internal)'), { code: 'ECONNREFUSED' }),
    ],
  ])('shows %s to the owner as TASKS.HANDLER_FAILED, and logs it whole with the task id', async (_, thrown) => {
    const { tasks, executor, ping, seed } = executorHarness(moduleRef);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    ping.script = () => Promise.reject(thrown);
    const task = seed({ maxAttempts: 1 });

    expect(await executor.run(task.id)).toMatchObject({ failure: { ...HANDLER_FAILED, attempt: 1 } });
    const stored = JSON.stringify((await tasks.findById(task.id))?.error);
    expect(stored).not.toMatch(/10\.1\.2\.3|5432|db\.internal|ECONNREFUSED|bad|oops/);
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ err: thrown, taskId: task.id }), expect.any(String));
    error.mockRestore();
  });

  it.each([
    ['PermanentError', new PermanentError('The target answered 410 Gone', 'WEBHOOKS.HTTP_410')],
    ['TransientError', new TransientError('The target answered 503', 'WEBHOOKS.HTTP_503')],
  ])("shows a %s's own code and message: they are written for the owner", async (_, thrown) => {
    const { executor, ping, seed } = executorHarness(moduleRef);
    ping.script = () => Promise.reject(thrown);

    expect(await executor.run(seed({ maxAttempts: 1 }).id)).toMatchObject({
      failure: { code: thrown.code, message: thrown.message, attempt: 1 },
    });
  });

  it('fails a task whose type has no handler as TASKS.UNKNOWN_TYPE', async () => {
    const { tasks, executor, seed } = executorHarness(moduleRef);
    const task = seed({ type: 'test.retired' });

    const outcome = await executor.run(task.id);

    const failure = { code: 'TASKS.UNKNOWN_TYPE', message: expect.stringContaining('test.retired'), attempt: 1 };
    expect(outcome).toEqual({ kind: 'failed', failure });
    expect(await tasks.findById(task.id)).toMatchObject({ status: 'failed', error: failure });
  });

  it.each(['cancelled', 'succeeded', 'failed'] as const)(
    'skips a %s task without calling its runner',
    async (status) => {
      const { tasks, executor, ping, seed } = executorHarness(moduleRef);
      const task = seed({ status, attempts: 1 });

      expect(await executor.run(task.id)).toMatchObject({ kind: 'skipped' });
      expect(ping.calls).toEqual([]);
      expect(await tasks.findById(task.id)).toEqual(task);
    },
  );

  it('skips a task that does not exist', async () => {
    const { executor, ping } = executorHarness(moduleRef);

    expect(await executor.run(newId())).toMatchObject({ kind: 'skipped' });
    expect(ping.calls).toEqual([]);
  });

  describe('the per-owner limit of running tasks (TASK_MAX_RUNNING_PER_OWNER, 2 here)', () => {
    const OWNER = newId();

    it('defers a task whose owner already runs the limit: no attempt counted, the runner not called', async () => {
      const { tasks, executor, ping, seed } = executorHarness(moduleRef);
      seed({ ownerId: OWNER, status: 'running', attempts: 1 });
      seed({ ownerId: OWNER, status: 'running', attempts: 1 });
      const waiting = seed({ ownerId: OWNER });

      const outcome = await executor.run(waiting.id);

      expect(outcome).toEqual({ kind: 'deferred', delayMs: expect.any(Number) });
      const { delayMs } = outcome as { delayMs: number };
      expect(delayMs).toBeGreaterThanOrEqual(OWNER_BUSY_DELAY_MS);
      expect(delayMs).toBeLessThanOrEqual(2 * OWNER_BUSY_DELAY_MS);
      expect(await tasks.findById(waiting.id)).toEqual(waiting);
      expect(ping.calls).toEqual([]);
    });

    it("runs the owner's task once a slot is free, and other owners' and ownerless tasks meanwhile", async () => {
      const { tasks, executor, seed } = executorHarness(moduleRef);
      const running = [seed({ ownerId: OWNER, status: 'running' }), seed({ ownerId: OWNER, status: 'running' })];
      const mine = seed({ ownerId: OWNER });
      const someoneElses = seed({ ownerId: newId() });
      const internal = seed({ ownerId: null });

      expect(await executor.run(someoneElses.id)).toEqual({ kind: 'succeeded' });
      expect(await executor.run(internal.id)).toEqual({ kind: 'succeeded' });
      expect((await executor.run(mine.id)).kind).toBe('deferred');
      tasks.patch(running[0].id, { status: 'succeeded' });
      expect(await executor.run(mine.id)).toEqual({ kind: 'succeeded' });
      expect(await tasks.findById(mine.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    });

    it('does not count the task itself when a stalled attempt is started again', async () => {
      const { executor, seed } = executorHarness(moduleRef);
      seed({ ownerId: OWNER, status: 'running' });
      const stalled = seed({ ownerId: OWNER, status: 'running', attempts: 1 });

      expect(await executor.run(stalled.id)).toEqual({ kind: 'succeeded' });
    });

    it('hands the owner to the runner and to the log lines (userId)', async () => {
      const { pino, executor, ping, seed } = executorHarness(moduleRef);
      const task = seed({ ownerId: OWNER });

      await executor.run(task.id);

      expect(ping.calls[0].context.ownerId).toBe(OWNER);
      expect(pino.contexts[0]?.bindings).toMatchObject({ taskId: task.id, userId: OWNER });
    });
  });
});
