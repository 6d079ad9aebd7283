import type { Task } from '../../src/modules/tasks/domain/task.js';
import type { TaskRepository } from '../../src/modules/tasks/domain/task.repository.js';
import { newId } from '../../src/shared/ids.js';
import { LONG_AGO, useTaskRepository } from './task-repository.harness.js';

const ids = (list: Task[]) => list.map((task) => task.id);
/** Query parameters holding one date. */
const at = (iso: string) => [new Date(iso)];

describe('TypeOrmTaskRepository on PostgreSQL: cancel, requeue, progress and scans (e2e)', () => {
  const h = useTaskRepository();
  const { setColumns, load, taskIn } = h;
  let tasks: TaskRepository;
  beforeAll(() => {
    tasks = h.tasks;
  });

  describe('cancel and requestCancel', () => {
    it('cancels a queued task waiting for its retry, clearing nextAttemptAt', async () => {
      const queued = await taskIn('queued', { nextAttemptAt: new Date(Date.now() + 60_000) });

      const cancelled = await tasks.cancel(queued.id, ['queued']);

      expect(cancelled).toMatchObject({ status: 'cancelled', nextAttemptAt: null, attempts: 0 });
      expect(cancelled?.finishedAt).toBeInstanceOf(Date);
    });

    it('requestCancel marks a running task, which stays running, and keeps the first request time', async () => {
      const running = await taskIn('running');

      const requested = await tasks.requestCancel(running.id);
      expect(requested).toMatchObject({ status: 'running', cancelRequestedAt: expect.any(Date) });
      await setColumns(running.id, 'cancel_requested_at = $2', [LONG_AGO]);

      expect((await tasks.requestCancel(running.id))?.cancelRequestedAt).toEqual(LONG_AGO);
    });

    it('lets exactly one of start and cancel-from-queued win on one queued task', async () => {
      for (let round = 0; round < 10; round++) {
        const queued = await taskIn('queued');

        const [started, cancelled] = await Promise.all([tasks.start(queued.id), tasks.cancel(queued.id, ['queued'])]);

        expect([started, cancelled].filter((winner) => winner !== null)).toHaveLength(1);
        const stored = await load(queued.id);
        expect(stored.status).toBe(started ? 'running' : 'cancelled');
        expect(stored.attempts).toBe(started ? 1 : 0);
      }
    });
  });

  describe('requeue', () => {
    it('puts a running task back in the queue without counting an attempt', async () => {
      const running = await taskIn('running');

      expect(await tasks.requeue(running.id)).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: null });
    });

    it('requeues when unchangedSince is the updatedAt the repository returned for the row', async () => {
      const running = await taskIn('running');
      await setColumns(running.id, `updated_at = now() - interval '1 hour'`);
      const [found] = await tasks.findUnsettled(new Date(), 10);

      expect(await tasks.requeue(running.id, found.updatedAt)).toMatchObject({ status: 'queued' });
    });

    it('requeues when unchangedSince equals updatedAt, and refuses when the row changed since', async () => {
      const running = await taskIn('running');
      await setColumns(running.id, 'updated_at = $2', [LONG_AGO]);

      expect(await tasks.requeue(running.id, new Date(LONG_AGO.getTime() + 1))).toBeNull();
      expect((await load(running.id)).status).toBe('running');
      expect(await tasks.requeue(running.id, LONG_AGO)).toMatchObject({ status: 'queued' });
    });

    it('refuses once the worker reported progress after the task was read', async () => {
      const running = await taskIn('running');
      await setColumns(running.id, 'updated_at = $2', [LONG_AGO]);
      const read = await load(running.id);
      await tasks.reportProgress(running.id, 40);

      expect(await tasks.requeue(running.id, read.updatedAt)).toBeNull();
      expect(await load(running.id)).toMatchObject({ status: 'running', progress: 40 });
    });
  });

  describe('reportProgress', () => {
    it('records progress of a running task and moves updatedAt', async () => {
      const running = await taskIn('running');
      await setColumns(running.id, 'updated_at = $2', [LONG_AGO]);

      await tasks.reportProgress(running.id, 37);

      const stored = await load(running.id);
      expect(stored.progress).toBe(37);
      expect(stored.updatedAt.getTime()).toBeGreaterThan(LONG_AGO.getTime());
    });

    it.each(['queued', 'succeeded', 'cancelled'] as const)('changes nothing while %s', async (status) => {
      const task = await taskIn(status);
      const before = await load(task.id);

      await tasks.reportProgress(task.id, 50);

      expect(await load(task.id)).toEqual(before);
    });
  });

  describe('cancelRequested', () => {
    it('names only the running tasks whose cancel was asked for', async () => {
      const wanted = await taskIn('running');
      await tasks.requestCancel(wanted.id);
      const runningOn = await taskIn('running');
      const queued = await taskIn('queued');
      const stopped = await taskIn('running');
      await tasks.requestCancel(stopped.id);
      await tasks.cancel(stopped.id, ['running']);

      const asked = await tasks.cancelRequested([wanted.id, runningOn.id, queued.id, stopped.id, newId()]);

      expect(asked).toEqual([wanted.id]);
      expect(await tasks.cancelRequested([])).toEqual([]);
    });
  });

  describe('findUnsettled', () => {
    it('finds queued and running tasks untouched since `before`, oldest first, up to `limit`', async () => {
      const before = new Date('2020-06-01T00:00:00.000Z');
      const oldRunning = await taskIn('running');
      await setColumns(oldRunning.id, 'updated_at = $2', at('2020-05-03T00:00:00Z'));
      const oldQueued = await taskIn('queued');
      await setColumns(oldQueued.id, 'updated_at = $2', at('2020-05-01T00:00:00Z'));
      const retryDue = await taskIn('queued', { nextAttemptAt: new Date('2020-05-20T00:00:00Z') });
      await setColumns(retryDue.id, 'updated_at = $2', at('2020-05-02T00:00:00Z'));
      const retryLater = await taskIn('queued', { nextAttemptAt: new Date('2020-06-02T00:00:00Z') });
      await setColumns(retryLater.id, 'updated_at = $2', at('2020-05-01T00:00:00Z'));
      const recent = await taskIn('queued');
      await setColumns(recent.id, 'updated_at = $2', at('2020-06-01T00:00:01Z'));
      for (const status of ['succeeded', 'failed', 'cancelled'] as const) {
        const finished = await taskIn(status);
        await setColumns(finished.id, 'updated_at = $2', at('2020-01-01T00:00:00Z'));
      }

      expect(ids(await tasks.findUnsettled(before, 10))).toEqual([oldQueued.id, retryDue.id, oldRunning.id]);
      expect(ids(await tasks.findUnsettled(before, 2))).toEqual([oldQueued.id, retryDue.id]);
    });
  });

  describe('list', () => {
    it('lists newest first, filtered by status and type, before a given id', async () => {
      const a = await taskIn('queued', { type: 'tests.alpha' });
      const b = await taskIn('running', { type: 'tests.beta' });
      const c = await taskIn('queued', { type: 'tests.beta' });
      const d = await taskIn('succeeded', { type: 'tests.alpha' });
      const e = await taskIn('queued', { type: 'tests.alpha' });

      expect(ids(await tasks.list({ limit: 10 }))).toEqual(ids([e, d, c, b, a]));
      expect(ids(await tasks.list({ limit: 2 }))).toEqual(ids([e, d]));
      expect(ids(await tasks.list({ limit: 10, status: 'queued' }))).toEqual(ids([e, c, a]));
      expect(ids(await tasks.list({ limit: 10, type: 'tests.beta' }))).toEqual(ids([c, b]));
      expect(ids(await tasks.list({ limit: 10, type: 'tests.alpha', status: 'queued' }))).toEqual(ids([e, a]));
      expect(ids(await tasks.list({ limit: 10, beforeId: d.id }))).toEqual(ids([c, b, a]));
      expect(ids(await tasks.list({ limit: 1, beforeId: c.id, type: 'tests.alpha' }))).toEqual(ids([a]));
      expect(await tasks.list({ limit: 10, type: 'tests.none' })).toEqual([]);
    });
  });
});
