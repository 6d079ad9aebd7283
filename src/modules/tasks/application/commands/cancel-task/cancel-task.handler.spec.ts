import { FakeTaskQueue } from '../../../../../../test/fakes/fake-task-queue.js';
import { FixedClock } from '../../../../../../test/fakes/fixed-clock.js';
import { InMemoryTaskRepository } from '../../../../../../test/fakes/in-memory-task.repository.js';
import { newId } from '../../../../../shared/ids.js';
import type { Task, TaskActor, TaskStatus } from '../../../domain/task.js';
import { TaskAlreadyFinishedError, TaskNotFoundError } from '../../../domain/task.errors.js';
import { CancelTaskCommand } from './cancel-task.command.js';
import { CancelTaskHandler } from './cancel-task.handler.js';

const CREATED = new Date('2024-05-06T07:00:00.000Z');
const OWNER: TaskActor = { userId: newId(), role: 'user' };
const OTHER: TaskActor = { userId: newId(), role: 'user' };
const ADMIN: TaskActor = { userId: newId(), role: 'admin' };
const LATER = new Date('2024-05-06T07:05:00.000Z');

/** Lets something happen to the row (a worker, another process) just before the handler's write. */
class RacingRepository extends InMemoryTaskRepository {
  beforeCancel?: (id: string) => void;
  beforeRequestCancel?: (id: string) => void;

  override async cancel(id: string, from: TaskStatus[]): Promise<Task | null> {
    this.beforeCancel?.(id);
    this.beforeCancel = undefined;
    return super.cancel(id, from);
  }

  override async requestCancel(id: string): Promise<Task | null> {
    this.beforeRequestCancel?.(id);
    this.beforeRequestCancel = undefined;
    return super.requestCancel(id);
  }
}

function setup() {
  const clock = new FixedClock(CREATED);
  const tasks = new RacingRepository(clock);
  const queue = new FakeTaskQueue();
  const handler = new CancelTaskHandler(tasks, queue);
  const seed = (changes: Partial<Task>) =>
    tasks.seed({ id: newId(), type: 'test.greet', ownerId: OWNER.userId, ...changes });
  const cancel = (id: string, actor: TaskActor = OWNER) => handler.execute(new CancelTaskCommand(id, actor));
  return { tasks, queue, seed, cancel, clock };
}

describe('CancelTaskHandler', () => {
  it('cancels a queued task and drops its job', async () => {
    const { tasks, queue, seed, cancel, clock } = setup();
    const task = seed({ status: 'queued' });
    clock.at = LATER;

    const cancelled = await cancel(task.id);

    expect(cancelled).toMatchObject({ id: task.id, status: 'cancelled', finishedAt: LATER, cancelRequestedAt: null });
    expect(await tasks.findById(task.id)).toEqual(cancelled);
    expect(queue.removed).toEqual([task.id]);
  });

  it('cancels a task waiting for its retry, so it never runs again', async () => {
    const { queue, seed, cancel } = setup();
    const task = seed({ status: 'queued', attempts: 1, nextAttemptAt: LATER });

    const cancelled = await cancel(task.id);

    expect(cancelled).toMatchObject({ status: 'cancelled', attempts: 1, nextAttemptAt: null });
    expect(queue.removed).toEqual([task.id]);
  });

  it('asks a running task to stop: it stays running, with cancelRequestedAt', async () => {
    const { tasks, queue, seed, cancel, clock } = setup();
    const task = seed({ status: 'running', attempts: 1 });
    clock.at = LATER;

    const stopping = await cancel(task.id);

    expect(stopping).toMatchObject({ status: 'running', cancelRequestedAt: LATER, finishedAt: null });
    expect(await tasks.findById(task.id)).toEqual(stopping);
    expect(queue.removed).toEqual([]);
  });

  it('keeps the time of the first request when a running task is cancelled twice', async () => {
    const { seed, cancel, clock } = setup();
    const task = seed({ status: 'running', attempts: 1 });
    await cancel(task.id);
    clock.at = LATER;

    expect((await cancel(task.id)).cancelRequestedAt).toEqual(CREATED);
  });

  it('answers a cancelled task as it is', async () => {
    const { tasks, queue, seed, cancel, clock } = setup();
    const task = seed({ status: 'cancelled', finishedAt: CREATED });
    clock.at = LATER;

    expect(await cancel(task.id)).toEqual(task);
    expect(await tasks.findById(task.id)).toEqual(task);
    expect(queue.removed).toEqual([]);
  });

  it.each(['succeeded', 'failed'] as const)('refuses to cancel a %s task and leaves it alone', async (status) => {
    const { tasks, seed, cancel } = setup();
    const task = seed({ status, finishedAt: CREATED });

    const attempt = cancel(task.id);

    await expect(attempt).rejects.toThrow(TaskAlreadyFinishedError);
    await expect(attempt).rejects.toMatchObject({ code: 'TASKS.ALREADY_FINISHED', taskId: task.id, status });
    expect(await tasks.findById(task.id)).toEqual(task);
  });

  it('answers TaskNotFoundError for an unknown task', async () => {
    const { cancel } = setup();
    const id = newId();

    await expect(cancel(id)).rejects.toThrow(TaskNotFoundError);
    await expect(cancel(id)).rejects.toMatchObject({ code: 'TASKS.NOT_FOUND', taskId: id });
  });

  describe('ownership', () => {
    it.each(['queued', 'running', 'succeeded'] as const)(
      "answers TaskNotFoundError for another user's %s task, and leaves it alone",
      async (status) => {
        const { tasks, queue, seed, cancel } = setup();
        const task = seed({ status });

        await expect(cancel(task.id, OTHER)).rejects.toMatchObject({ code: 'TASKS.NOT_FOUND', taskId: task.id });
        expect(await tasks.findById(task.id)).toEqual(task);
        expect(queue.removed).toEqual([]);
      },
    );

    it('lets only admins cancel a task of the application (no owner)', async () => {
      const { seed, cancel } = setup();
      const task = seed({ ownerId: null });

      await expect(cancel(task.id, OWNER)).rejects.toThrow(TaskNotFoundError);
      expect(await cancel(task.id, ADMIN)).toMatchObject({ status: 'cancelled' });
    });

    it("lets an admin cancel any user's task", async () => {
      const { seed, cancel } = setup();

      expect(await cancel(seed({ status: 'queued' }).id, ADMIN)).toMatchObject({ status: 'cancelled' });
    });
  });

  describe('racing the worker', () => {
    it('ends as a cancel request when the task starts between the read and the write', async () => {
      const { tasks, queue, seed, cancel } = setup();
      const task = seed({ status: 'queued' });
      tasks.beforeCancel = (id) => tasks.patch(id, { status: 'running', attempts: 1 });

      const outcome = await cancel(task.id);

      expect(outcome).toMatchObject({ status: 'running', cancelRequestedAt: CREATED });
      expect(await tasks.findById(task.id)).toEqual(outcome);
      expect(queue.removed).toEqual([]);
    });

    it('refuses when the task finishes between the read and the write', async () => {
      const { tasks, seed, cancel } = setup();
      const task = seed({ status: 'running', attempts: 1 });
      tasks.beforeRequestCancel = (id) => tasks.patch(id, { status: 'succeeded', finishedAt: CREATED });

      await expect(cancel(task.id)).rejects.toThrow(TaskAlreadyFinishedError);
      expect((await tasks.findById(task.id))?.cancelRequestedAt).toBeNull();
    });

    it('answers the cancelled task when someone else cancelled it first', async () => {
      const { tasks, seed, cancel } = setup();
      const task = seed({ status: 'queued' });
      tasks.beforeCancel = (id) => tasks.patch(id, { status: 'cancelled', finishedAt: LATER });

      expect(await cancel(task.id)).toMatchObject({ status: 'cancelled', finishedAt: LATER });
    });
  });
});
