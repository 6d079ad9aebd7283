import type { Task, TaskStatus } from '../../src/modules/tasks/domain/task.js';
import type { TaskRepository } from '../../src/modules/tasks/domain/task.repository.js';
import { newId } from '../../src/shared/ids.js';
import { FAILURE, LONG_AGO, newTask, useTaskRepository } from './task-repository.harness.js';

const HASH = 'a'.repeat(64);

type Transition = (repo: TaskRepository, id: string) => Promise<Task | null>;

/** Each compare-and-set with the statuses it must refuse. */
const REFUSALS: [string, TaskStatus[], Transition][] = [
  ['start', ['succeeded', 'failed', 'cancelled'], (repo, id) => repo.start(id)],
  ['succeed', ['queued', 'succeeded', 'failed', 'cancelled'], (repo, id) => repo.succeed(id, 1)],
  [
    'retryLater',
    ['queued', 'succeeded', 'failed', 'cancelled'],
    (repo, id) => repo.retryLater(id, FAILURE, new Date()),
  ],
  ['fail', ['queued', 'succeeded', 'failed', 'cancelled'], (repo, id) => repo.fail(id, FAILURE)],
  [
    'fail from queued',
    ['running', 'succeeded', 'failed', 'cancelled'],
    (repo, id) => repo.fail(id, FAILURE, ['queued']),
  ],
  ['cancel from queued', ['running', 'succeeded', 'failed', 'cancelled'], (repo, id) => repo.cancel(id, ['queued'])],
  ['cancel from running', ['queued', 'succeeded', 'failed'], (repo, id) => repo.cancel(id, ['running'])],
  ['requestCancel', ['queued', 'succeeded', 'failed', 'cancelled'], (repo, id) => repo.requestCancel(id)],
  ['requeue', ['succeeded', 'failed', 'cancelled'], (repo, id) => repo.requeue(id)],
];

/** Each compare-and-set from a status it accepts. */
const MOVES: [string, TaskStatus, Transition][] = [
  ['start', 'queued', (repo, id) => repo.start(id)],
  ['start again', 'running', (repo, id) => repo.start(id)],
  ['succeed', 'running', (repo, id) => repo.succeed(id, { ok: true })],
  ['retryLater', 'running', (repo, id) => repo.retryLater(id, FAILURE, new Date())],
  ['fail', 'running', (repo, id) => repo.fail(id, FAILURE)],
  ['fail from queued', 'queued', (repo, id) => repo.fail(id, FAILURE, ['queued'])],
  ['cancel', 'queued', (repo, id) => repo.cancel(id, ['queued'])],
  ['cancel', 'running', (repo, id) => repo.cancel(id, ['queued', 'running'])],
  ['requestCancel', 'running', (repo, id) => repo.requestCancel(id)],
  ['requeue', 'running', (repo, id) => repo.requeue(id)],
];

describe('TypeOrmTaskRepository on PostgreSQL (e2e)', () => {
  const h = useTaskRepository();
  const { setColumns, load, taskIn } = h;
  let tasks: TaskRepository;
  beforeAll(() => {
    tasks = h.tasks;
  });

  describe('insert', () => {
    it('stores a queued task with no attempts and no progress, and findById reads it back', async () => {
      const input = newTask({
        payload: { message: 'hi', nested: { list: [1, 2] } },
        requestId: 'req-1',
        idempotencyKey: 'key-0',
        requestHash: HASH,
        nextAttemptAt: new Date('2030-01-01T00:00:00.123Z'),
        ownerId: newId(),
        idempotencyExpiresAt: new Date('2030-01-02T00:00:00.456Z'),
      });

      const { task, created } = await tasks.insert(input);

      expect(created).toBe(true);
      expect(task).toEqual({
        ...input,
        status: 'queued',
        attempts: 0,
        progress: 0,
        result: null,
        error: null,
        createdAt: expect.any(Date),
        updatedAt: task.createdAt,
        startedAt: null,
        finishedAt: null,
        cancelRequestedAt: null,
      });
      expect(Math.abs(task.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(await tasks.findById(input.id)).toEqual(task);
    });

    it('returns the first task, not created, for a second insert with the same idempotency key', async () => {
      const first = await tasks.insert(newTask({ idempotencyKey: 'key-1', requestHash: HASH }));
      const second = newTask({ idempotencyKey: 'key-1', payload: { n: 2 }, requestHash: 'b'.repeat(64) });

      expect(await tasks.insert(second)).toEqual({ task: first.task, created: false });
      expect(await tasks.findById(second.id)).toBeNull();
    });

    it('creates every task without an idempotency key', async () => {
      const results = [await tasks.insert(newTask()), await tasks.insert(newTask())];

      expect(results.map((result) => result.created)).toEqual([true, true]);
      expect(await tasks.list({ limit: 10 })).toHaveLength(2);
    });

    it('creates exactly one of 10 concurrent inserts with one key; all answer that task', async () => {
      const inputs = Array.from({ length: 10 }, () => newTask({ idempotencyKey: 'race', requestHash: HASH }));

      const results = await Promise.all(inputs.map((input) => tasks.insert(input)));

      const created = results.filter((result) => result.created);
      expect(created).toHaveLength(1);
      expect(new Set(results.map((result) => result.task.id))).toEqual(new Set([created[0].task.id]));
      expect(await tasks.list({ limit: 20 })).toHaveLength(1);
    });
  });

  describe('owners and idempotency keys', () => {
    const OWNER = newId();
    const OTHER = newId();
    const LATER = new Date(Date.now() + 3_600_000);

    it('keeps keys apart per owner, the ownerless tasks being one more owner', async () => {
      const inserted = [];
      for (const ownerId of [OWNER, OTHER, null]) {
        inserted.push(await tasks.insert(newTask({ ownerId, idempotencyKey: 'k', idempotencyExpiresAt: LATER })));
      }

      expect(inserted.map((result) => result.created)).toEqual([true, true, true]);
      for (const [index, ownerId] of [OWNER, OTHER, null].entries()) {
        const again = await tasks.insert(newTask({ ownerId, idempotencyKey: 'k', idempotencyExpiresAt: LATER }));
        expect(again).toEqual({ task: inserted[index].task, created: false });
      }
    });

    it('frees an expired key: a new task holds it, the old one keeps everything but the key', async () => {
      const old = await tasks.insert(
        newTask({ ownerId: OWNER, idempotencyKey: 'k', idempotencyExpiresAt: new Date(Date.now() - 1000) }),
      );

      const fresh = await tasks.insert(newTask({ ownerId: OWNER, idempotencyKey: 'k', idempotencyExpiresAt: LATER }));

      expect(fresh.created).toBe(true);
      expect(fresh.task).toMatchObject({ idempotencyKey: 'k', idempotencyExpiresAt: LATER });
      expect(await load(old.task.id)).toEqual({
        ...old.task,
        idempotencyKey: null,
        idempotencyExpiresAt: null,
        updatedAt: old.task.updatedAt,
      });
    });

    it("does not free another owner's expired key", async () => {
      const expired = await tasks.insert(
        newTask({ ownerId: OTHER, idempotencyKey: 'k', idempotencyExpiresAt: new Date(Date.now() - 1000) }),
      );

      await tasks.insert(newTask({ ownerId: OWNER, idempotencyKey: 'k', idempotencyExpiresAt: LATER }));

      expect((await load(expired.task.id)).idempotencyKey).toBe('k');
    });

    it('lists one owner’s tasks only when asked', async () => {
      const mine = await taskIn('queued', { ownerId: OWNER });
      const theirs = await taskIn('queued', { ownerId: OTHER });
      const internal = await taskIn('queued');

      expect((await tasks.list({ limit: 10, ownerId: OWNER })).map((task) => task.id)).toEqual([mine.id]);
      expect((await tasks.list({ limit: 10 })).map((task) => task.id)).toEqual([internal.id, theirs.id, mine.id]);
    });
  });

  describe('startWithinOwnerLimit', () => {
    const OWNER = newId();

    it("starts a task while its owner runs fewer than the limit, and answers 'owner-busy' at the limit", async () => {
      const first = await taskIn('queued', { ownerId: OWNER });
      const second = await taskIn('queued', { ownerId: OWNER });

      expect(await tasks.startWithinOwnerLimit(first.id, 1)).toMatchObject({ status: 'running', attempts: 1 });
      expect(await tasks.startWithinOwnerLimit(second.id, 1)).toBe('owner-busy');
      expect(await load(second.id)).toEqual(second);

      await tasks.succeed(first.id, null);
      expect(await tasks.startWithinOwnerLimit(second.id, 1)).toMatchObject({ status: 'running', attempts: 1 });
    });

    it('never holds back a task without owner, and answers null for a finished or unknown task', async () => {
      await taskIn('running', { ownerId: OWNER });
      const internal = [await taskIn('queued'), await taskIn('queued'), await taskIn('queued')];
      const done = await taskIn('succeeded', { ownerId: OWNER });

      for (const task of internal)
        expect(await tasks.startWithinOwnerLimit(task.id, 1)).toMatchObject({ status: 'running' });
      expect(await tasks.startWithinOwnerLimit(done.id, 1)).toBeNull();
      expect(await tasks.startWithinOwnerLimit(newId(), 1)).toBeNull();
    });

    it('lets exactly `limit` of 12 concurrent starts of one owner through (race-safe across connections)', async () => {
      const queued = [];
      for (let i = 0; i < 12; i++) queued.push(await taskIn('queued', { ownerId: OWNER }));

      const outcomes = await Promise.all(queued.map((task) => tasks.startWithinOwnerLimit(task.id, 3)));

      expect(outcomes.filter((outcome) => outcome === 'owner-busy')).toHaveLength(9);
      expect((await tasks.list({ limit: 20, status: 'running', ownerId: OWNER })).length).toBe(3);
    });
  });

  describe('compare-and-set', () => {
    const refusals = REFUSALS.flatMap(([name, statuses, run]) =>
      statuses.map((status) => [name, status, run] as const),
    );

    it.each(refusals)('%s answers null from %s and leaves the row untouched', async (_, status, run) => {
      const task = await taskIn(status);
      await setColumns(task.id, 'updated_at = $2', [LONG_AGO]);
      const before = await load(task.id);

      expect(await run(tasks, task.id)).toBeNull();
      expect(await load(task.id)).toEqual(before);
    });

    it.each(MOVES)('%s from %s moves updatedAt', async (_, status, run) => {
      const task = await taskIn(status);
      await setColumns(task.id, 'updated_at = $2', [LONG_AGO]);

      const moved = await run(tasks, task.id);

      expect(moved?.updatedAt.getTime()).toBeGreaterThan(LONG_AGO.getTime());
      expect(await load(task.id)).toEqual(moved);
    });

    it('answers null for an unknown id', async () => {
      expect(await tasks.start(newId())).toBeNull();
      expect(await tasks.cancel(newId(), ['queued', 'running'])).toBeNull();
    });
  });

  describe('start', () => {
    it('runs a queued task: one more attempt, startedAt set, nextAttemptAt cleared', async () => {
      const queued = await taskIn('queued', { nextAttemptAt: new Date(Date.now() - 1000) });

      const started = await tasks.start(queued.id);

      expect(started).toMatchObject({ status: 'running', attempts: 1, nextAttemptAt: null, finishedAt: null });
      expect(started?.startedAt).toBeInstanceOf(Date);
    });

    it('counts another attempt from running (a redelivered job) and keeps the first startedAt', async () => {
      const running = await taskIn('running');
      await setColumns(running.id, 'started_at = $2', [LONG_AGO]);

      const again = await tasks.start(running.id);

      expect(again).toMatchObject({ status: 'running', attempts: 2, startedAt: LONG_AGO });
    });
  });

  describe('succeed', () => {
    it.each([[{ nested: { list: [1, 'two'] } }], ['plain text'], [42], [null], [[1, 2]]])(
      'stores the result %j as JSON, with progress 100',
      async (result) => {
        const running = await taskIn('running');

        const done = await tasks.succeed(running.id, result);

        expect(done).toMatchObject({ status: 'succeeded', result, progress: 100, error: null });
        expect(done?.finishedAt).toBeInstanceOf(Date);
        expect((await load(running.id)).result).toEqual(result);
      },
    );

    it('clears the error of an earlier failed attempt', async () => {
      const running = await taskIn('running');
      await tasks.retryLater(running.id, FAILURE, new Date());
      expect((await tasks.start(running.id))?.error).toEqual(FAILURE);

      expect(await tasks.succeed(running.id, 'ok')).toMatchObject({ error: null, attempts: 2 });
    });
  });

  describe('retryLater and fail', () => {
    it('retryLater puts a running task back in the queue with the error and the retry time', async () => {
      const running = await taskIn('running');
      const at = new Date('2030-05-06T07:08:09.123Z');

      expect(await tasks.retryLater(running.id, FAILURE, at)).toMatchObject({
        status: 'queued',
        error: FAILURE,
        nextAttemptAt: at,
        attempts: 1,
        finishedAt: null,
      });
    });

    it('fail finishes a running task with the error', async () => {
      const running = await taskIn('running');

      const failed = await tasks.fail(running.id, FAILURE);

      expect(failed).toMatchObject({ status: 'failed', error: FAILURE, nextAttemptAt: null });
      expect(failed?.finishedAt).toBeInstanceOf(Date);
    });

    it('fail with `from` finishes a task waiting for its retry and clears nextAttemptAt', async () => {
      const running = await taskIn('running');
      await tasks.retryLater(running.id, FAILURE, new Date(Date.now() + 60_000));
      const last = { ...FAILURE, code: 'TESTS.GIVE_UP' };

      expect(await tasks.fail(running.id, last, ['queued', 'running'])).toMatchObject({
        status: 'failed',
        error: last,
        nextAttemptAt: null,
      });
    });
  });
});
