import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { FakeTaskQueue } from '../../../../../../test/fakes/fake-task-queue.js';
import { FixedClock } from '../../../../../../test/fakes/fixed-clock.js';
import { InMemoryTaskRepository } from '../../../../../../test/fakes/in-memory-task.repository.js';
import { newId } from '../../../../../shared/ids.js';
import type { Task } from '../../../domain/task.js';
import { ReconcileTasksCommand } from './reconcile-tasks.command.js';
import { ReconcileTasksHandler } from './reconcile-tasks.handler.js';

const LONG_AGO = new Date('2024-05-06T06:00:00.000Z');
const BEFORE = new Date('2024-05-06T07:00:00.000Z');
const NOW = new Date('2024-05-06T07:01:00.000Z');

/** Lets the row change (a worker reporting progress) after the scan read it. */
class ChangingRepository extends InMemoryTaskRepository {
  afterScan?: (found: Task[]) => void;

  override async findUnsettled(before: Date, limit: number): Promise<Task[]> {
    const found = await super.findUnsettled(before, limit);
    this.afterScan?.(found);
    return found;
  }
}

function setup() {
  const tasks = new ChangingRepository(new FixedClock(NOW));
  const queue = new FakeTaskQueue();
  const handler = new ReconcileTasksHandler(tasks, queue);
  const seed = (changes: Partial<Task>) =>
    tasks.seed({ id: newId(), type: 'test.greet', maxAttempts: 3, updatedAt: LONG_AGO, ...changes });
  const reconcile = (limit?: number) => handler.execute(new ReconcileTasksCommand(BEFORE, limit));
  return { tasks, queue, seed, reconcile };
}

describe('ReconcileTasksHandler', () => {
  let warn: jest.SpiedFunction<Logger['warn']>;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('queues again a queued task whose job is missing', async () => {
    const { tasks, queue, seed, reconcile } = setup();
    const task = seed({ status: 'queued', maxAttempts: 4 });

    const report = await reconcile();

    expect(report).toEqual({ requeued: [task.id], abandoned: [] });
    expect(queue.enqueued).toEqual([{ id: task.id, type: 'test.greet', maxAttempts: 4 }]);
    expect(await tasks.findById(task.id)).toEqual(task);
  });

  it('puts a running task whose job was lost back in the queue, without counting an attempt', async () => {
    const { tasks, queue, seed, reconcile } = setup();
    const task = seed({ status: 'running', attempts: 1, startedAt: LONG_AGO });

    const report = await reconcile();

    expect(report).toEqual({ requeued: [task.id], abandoned: [] });
    expect(await tasks.findById(task.id)).toMatchObject({ status: 'queued', attempts: 1, updatedAt: NOW });
    expect(queue.enqueued).toEqual([{ id: task.id, type: 'test.greet', maxAttempts: 3 }]);
  });

  it('fails a running task whose job was lost on its last attempt as TASKS.ABANDONED', async () => {
    const { tasks, queue, seed, reconcile } = setup();
    const task = seed({ status: 'running', attempts: 3, maxAttempts: 3 });

    const report = await reconcile();

    expect(report).toEqual({ requeued: [], abandoned: [task.id] });
    expect(await tasks.findById(task.id)).toMatchObject({
      status: 'failed',
      finishedAt: NOW,
      error: { code: 'TASKS.ABANDONED', message: expect.any(String), attempt: 3 },
    });
    expect(queue.enqueued).toEqual([]);
  });

  it.each(['queued', 'running'] as const)('leaves a %s task whose job is still pending alone', async (status) => {
    const { tasks, queue, seed, reconcile } = setup();
    const task = seed({ status, attempts: status === 'running' ? 3 : 0 });
    queue.pending.add(task.id);

    expect(await reconcile()).toEqual({ requeued: [], abandoned: [] });
    expect(await tasks.findById(task.id)).toEqual(task);
    expect(queue.enqueued).toEqual([]);
  });

  it('does not requeue a running task that changed after it was read', async () => {
    const { tasks, queue, seed, reconcile } = setup();
    const task = seed({ status: 'running', attempts: 1 });
    tasks.afterScan = () => tasks.patch(task.id, { progress: 40, updatedAt: new Date(LONG_AGO.getTime() + 1) });

    expect(await reconcile()).toEqual({ requeued: [], abandoned: [] });
    expect(await tasks.findById(task.id)).toMatchObject({ status: 'running', progress: 40 });
    expect(queue.enqueued).toEqual([]);
  });

  it('does not fail a last attempt that finished after it was read', async () => {
    const { tasks, seed, reconcile } = setup();
    const task = seed({ status: 'running', attempts: 3 });
    tasks.afterScan = () => tasks.patch(task.id, { status: 'succeeded', result: { ok: true } });

    expect(await reconcile()).toEqual({ requeued: [], abandoned: [] });
    expect(await tasks.findById(task.id)).toMatchObject({ status: 'succeeded', error: null });
  });

  it('leaves recent tasks, tasks waiting for a later retry and finished tasks alone', async () => {
    const { queue, seed, reconcile } = setup();
    seed({ status: 'queued', updatedAt: new Date(BEFORE.getTime() + 1) });
    seed({ status: 'queued', attempts: 1, nextAttemptAt: new Date(BEFORE.getTime() + 60_000) });
    for (const status of ['succeeded', 'failed', 'cancelled'] as const) seed({ status });

    expect(await reconcile()).toEqual({ requeued: [], abandoned: [] });
    expect(queue.enqueued).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('looks at no more than `limit` tasks, the longest untouched first', async () => {
    const { queue, seed, reconcile } = setup();
    seed({ status: 'queued', updatedAt: new Date(LONG_AGO.getTime() + 2000) });
    const oldest = seed({ status: 'queued', updatedAt: new Date(LONG_AGO.getTime() - 2000) });
    const middle = seed({ status: 'queued', updatedAt: LONG_AGO });

    expect((await reconcile(2)).requeued).toEqual([oldest.id, middle.id]);
    expect(queue.enqueued.map((job) => job.id)).toEqual([oldest.id, middle.id]);
  });

  it('logs what it repaired', async () => {
    const { seed, reconcile } = setup();
    seed({ status: 'queued' });
    seed({ status: 'running', attempts: 3 });

    const report = await reconcile();

    expect(warn).toHaveBeenCalledWith(report, 'Reconciled tasks: 1 requeued, 1 abandoned');
  });
});
