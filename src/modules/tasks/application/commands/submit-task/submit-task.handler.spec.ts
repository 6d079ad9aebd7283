import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import type { QueryBus } from '@nestjs/cqrs';
import type { PinoLogger } from 'nestjs-pino';
import type { GetUserQuery } from '../../../../users/users.contracts.js';
import { type EnqueuedJob, FakeTaskQueue } from '../../../../../../test/fakes/fake-task-queue.js';
import { FixedClock } from '../../../../../../test/fakes/fixed-clock.js';
import { InMemoryTaskRepository } from '../../../../../../test/fakes/in-memory-task.repository.js';
import {
  ADMINS_ONLY,
  ADMITTED,
  AdmittedTask,
  GREET,
  GreetModule,
  INTERNAL_ONLY,
  OUTBOUND,
  PING,
  PingModule,
  SubmittersModule,
  TASKS_CONFIG,
  taskTypesContext,
} from '../../../../../../test/fakes/task-types.js';
import { newId } from '../../../../../shared/ids.js';
import type { TaskActor } from '../../../domain/task.js';
import { IdempotencyKeyReusedError, InvalidTaskError, TaskEmailNotVerifiedError } from '../../../domain/task.errors.js';
import { TaskTypeRegistry } from '../../task-type.registry.js';
import { SubmitTaskCommand } from './submit-task.command.js';
import { SubmitTaskHandler } from './submit-task.handler.js';

const NOW = new Date('2024-05-06T07:08:09.123Z');
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Notes whether the task was already stored when it was queued. */
class OrderCheckingQueue extends FakeTaskQueue {
  readonly storedWhenQueued: boolean[] = [];
  constructor(private readonly tasks: InMemoryTaskRepository) {
    super();
  }
  override async enqueue(task: EnqueuedJob): Promise<void> {
    this.storedWhenQueued.push((await this.tasks.findById(task.id)) !== null);
    await super.enqueue(task);
  }
}

const pinoWith = (bindings: Record<string, unknown>) =>
  ({ logger: { bindings: () => bindings } }) as unknown as PinoLogger;

const USER: TaskActor = { userId: newId(), role: 'user' };
const OTHER: TaskActor = { userId: newId(), role: 'user' };
const ADMIN: TaskActor = { userId: newId(), role: 'admin' };
const TTL_MS = TASKS_CONFIG.idempotencyTtlS * 1000;

/** The users module's answer to GetUserQuery: whether each user's email is verified. */
class FakeUsers {
  readonly verified = new Set<string>([USER.userId, OTHER.userId, ADMIN.userId]);
  readonly asked: string[] = [];
  execute(query: GetUserQuery): Promise<{ emailVerifiedAt: Date | null }> {
    this.asked.push(query.userId);
    return Promise.resolve({ emailVerifiedAt: this.verified.has(query.userId) ? NOW : null });
  }
}

describe('SubmitTaskHandler', () => {
  let moduleRef: TestingModule;
  let registry: TaskTypeRegistry;

  beforeAll(async () => {
    moduleRef = await taskTypesContext({ imports: [GreetModule, PingModule, SubmittersModule] });
    registry = moduleRef.get(TaskTypeRegistry);
  });
  afterAll(() => moduleRef.close());
  afterEach(() => jest.restoreAllMocks());

  function setup(pino = pinoWith({ requestId: 'req-1' })) {
    const clock = new FixedClock(NOW);
    const tasks = new InMemoryTaskRepository(clock);
    const queue = new OrderCheckingQueue(tasks);
    const users = new FakeUsers();
    const handler = new SubmitTaskHandler(
      registry,
      tasks,
      queue,
      clock,
      pino,
      users as unknown as QueryBus,
      TASKS_CONFIG,
    );
    const submit = (input: SubmitTaskCommand['input']) => handler.execute(new SubmitTaskCommand(input));
    return { tasks, queue, users, clock, submit };
  }

  it("stores a queued task with the type's default maxAttempts, then queues it", async () => {
    const { tasks, queue, submit } = setup();

    const { task, created } = await submit({ type: GREET, payload: { name: 'Ada', times: 2 } });

    expect(created).toBe(true);
    expect(task.id).toMatch(UUID_V7);
    expect(task).toMatchObject({
      type: GREET,
      payload: { name: 'Ada', times: 2 },
      status: 'queued',
      attempts: 0,
      maxAttempts: 5,
      nextAttemptAt: null,
      requestId: 'req-1',
      idempotencyKey: null,
      requestHash: null,
    });
    expect(tasks.all()).toEqual([task]);
    expect(queue.enqueued).toEqual([{ id: task.id, type: GREET, maxAttempts: 5 }]);
    expect(queue.storedWhenQueued).toEqual([true]);
  });

  it('gives a type without its own maxAttempts the configured default', async () => {
    const { queue, submit } = setup();

    const { task } = await submit({ type: PING, payload: { target: { url: 'http://example.com' } } });

    expect(task.maxAttempts).toBe(3);
    expect(queue.enqueued[0].maxAttempts).toBe(3);
  });

  it('uses the maxAttempts the submitter gives', async () => {
    const { queue, submit } = setup();

    const { task } = await submit({ type: GREET, payload: { name: 'Ada' }, maxAttempts: 1 });

    expect(task.maxAttempts).toBe(1);
    expect(queue.enqueued[0].maxAttempts).toBe(1);
  });

  it('delays the task: nextAttemptAt is now + delayMs, and the job is delayed as much', async () => {
    const { queue, submit } = setup();

    const { task } = await submit({ type: GREET, payload: { name: 'Ada' }, delayMs: 90_000 });

    expect(task.nextAttemptAt).toEqual(new Date(NOW.getTime() + 90_000));
    expect(queue.enqueued[0]).toEqual({ id: task.id, type: GREET, maxAttempts: 5, delayMs: 90_000 });
  });

  it("prefers the given requestId to the current request's, and stores null when there is none", async () => {
    expect((await setup().submit({ type: GREET, payload: { name: 'A' }, requestId: 'req-2' })).task.requestId).toBe(
      'req-2',
    );
    expect((await setup(pinoWith({})).submit({ type: GREET, payload: { name: 'A' } })).task.requestId).toBeNull();
  });

  it('gives every submission its own task', async () => {
    const { tasks, submit } = setup();

    const first = await submit({ type: GREET, payload: { name: 'Ada' } });
    const second = await submit({ type: GREET, payload: { name: 'Ada' } });

    expect(second.task.id).not.toBe(first.task.id);
    expect(tasks.all()).toHaveLength(2);
  });

  it.each([
    ['an unknown type', { type: 'test.nope', payload: { name: 'Ada' } }, 'type'],
    ['a payload that does not fit', { type: GREET, payload: { name: 42 } }, 'payload.name'],
    ['an unexpected field', { type: GREET, payload: { name: 'Ada', admin: true } }, 'payload.admin'],
    ['a payload that is not an object', { type: GREET, payload: 'Ada' }, 'payload'],
  ])('refuses %s with InvalidTaskError, storing and queueing nothing', async (_, input, field) => {
    const { tasks, queue, submit } = setup();

    const attempt = submit(input);

    await expect(attempt).rejects.toThrow(InvalidTaskError);
    await expect(attempt).rejects.toMatchObject({
      code: 'TASKS.INVALID',
      problems: [{ field, messages: expect.arrayContaining([expect.any(String)]) }],
    });
    expect(tasks.all()).toEqual([]);
    expect(queue.enqueued).toEqual([]);
  });

  describe('with an idempotency key', () => {
    it('answers the first task, not created and not queued again, for the same submission', async () => {
      const { tasks, queue, submit } = setup();
      const input = { type: GREET, payload: { name: 'Ada' }, delayMs: 500, idempotencyKey: 'key-1' };

      const first = await submit(input);
      const replay = await submit(input);

      expect(first.created).toBe(true);
      expect(first.task.idempotencyKey).toBe('key-1');
      expect(first.task.requestHash).toMatch(/^[0-9a-f]{64}$/);
      expect(replay).toEqual({ task: first.task, created: false });
      expect(tasks.all()).toHaveLength(1);
      expect(queue.enqueued).toHaveLength(1);
    });

    it('treats payloads that differ only in key order as the same submission', async () => {
      const { submit } = setup();

      const first = await submit({ type: PING, payload: { target: { url: 'http://a.example' } }, idempotencyKey: 'k' });
      const again = await submit({ type: PING, payload: { target: { url: 'http://a.example' } }, idempotencyKey: 'k' });
      const greet = await submit({ type: GREET, payload: { name: 'Ada', times: 2 }, idempotencyKey: 'g' });
      const reordered = await submit({ type: GREET, payload: { times: 2, name: 'Ada' }, idempotencyKey: 'g' });

      expect(again).toEqual({ task: first.task, created: false });
      expect(reordered).toEqual({ task: greet.task, created: false });
    });

    it.each([
      ['payload', { payload: { name: 'Grace' } }],
      ['type', { type: PING, payload: { target: { url: 'http://a.example' } } }],
      ['delayMs', { delayMs: 1000 }],
      ['maxAttempts', { maxAttempts: 2 }],
    ])('refuses the key with another %s: IdempotencyKeyReusedError naming the first task', async (_, change) => {
      const { tasks, queue, submit } = setup();
      const first = await submit({ type: GREET, payload: { name: 'Ada' }, idempotencyKey: 'key-1' });

      const reuse = submit({ type: GREET, payload: { name: 'Ada' }, idempotencyKey: 'key-1', ...change });

      await expect(reuse).rejects.toThrow(IdempotencyKeyReusedError);
      await expect(reuse).rejects.toMatchObject({ code: 'TASKS.IDEMPOTENCY_KEY_REUSED', taskId: first.task.id });
      expect(tasks.all()).toHaveLength(1);
      expect(queue.enqueued).toHaveLength(1);
    });
  });

  it('still answers the stored task when queueing fails, leaving it to the reconciler', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { tasks, queue, submit } = setup();
    queue.failure = new Error('queue backend down');

    const { task, created } = await submit({ type: GREET, payload: { name: 'Ada' } });

    expect(created).toBe(true);
    expect(task.status).toBe('queued');
    expect(await tasks.findById(task.id)).toEqual(task);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ err: queue.failure, taskId: task.id }),
      expect.stringContaining('reconciler'),
    );
  });

  describe('who submits', () => {
    it("makes the submitter the task's owner; the application's own submissions have none", async () => {
      const { submit } = setup();

      expect((await submit({ type: GREET, payload: { name: 'A' }, submitter: USER })).task.ownerId).toBe(USER.userId);
      expect((await submit({ type: GREET, payload: { name: 'A' } })).task.ownerId).toBeNull();
    });

    it.each([
      ['a user', USER, [ADMITTED, GREET, OUTBOUND, PING]],
      ['an admin', ADMIN, [ADMINS_ONLY, ADMITTED, GREET, OUTBOUND, PING]],
    ])(
      'refuses %s an internal type as if it were unknown, listing only the types they may submit',
      async (_, submitter, allowed) => {
        const { tasks, submit } = setup();

        const attempt = submit({ type: INTERNAL_ONLY, payload: { name: 'A' }, submitter });

        await expect(attempt).rejects.toMatchObject({
          problems: [{ field: 'type', messages: [`must be one of: ${allowed.join(', ')}`] }],
        });
        const unknown = submit({ type: 'test.nope', payload: { name: 'A' }, submitter });
        await expect(unknown).rejects.toMatchObject({
          problems: [{ field: 'type', messages: [`must be one of: ${allowed.join(', ')}`] }],
        });
        expect(tasks.all()).toEqual([]);
      },
    );

    it('refuses a user an admins-only type, and lets an admin and the application submit it', async () => {
      const { submit } = setup();

      await expect(submit({ type: ADMINS_ONLY, payload: { name: 'A' }, submitter: USER })).rejects.toThrow(
        InvalidTaskError,
      );
      expect((await submit({ type: ADMINS_ONLY, payload: { name: 'A' }, submitter: ADMIN })).created).toBe(true);
      expect((await submit({ type: ADMINS_ONLY, payload: { name: 'A' } })).created).toBe(true);
      expect((await submit({ type: INTERNAL_ONLY, payload: { name: 'A' } })).created).toBe(true);
    });

    it('refuses an outbound type to an unverified account (TaskEmailNotVerifiedError), storing nothing', async () => {
      const { tasks, users, submit } = setup();
      users.verified.delete(USER.userId);

      const attempt = submit({ type: OUTBOUND, payload: { name: 'A' }, submitter: USER });

      await expect(attempt).rejects.toThrow(TaskEmailNotVerifiedError);
      await expect(attempt).rejects.toMatchObject({ kind: 'forbidden', code: 'TASKS.EMAIL_NOT_VERIFIED' });
      expect(tasks.all()).toEqual([]);
      expect((await submit({ type: OUTBOUND, payload: { name: 'A' }, submitter: OTHER })).created).toBe(true);
      expect((await submit({ type: OUTBOUND, payload: { name: 'A' } })).created).toBe(true);
    });

    it('does not look the submitter up for a type that sends nothing out', async () => {
      const { users, submit } = setup();

      await submit({ type: GREET, payload: { name: 'A' }, submitter: USER });

      expect(users.asked).toEqual([]);
    });

    it("asks the type's admit with the payload and the owner, and turns its problems into InvalidTaskError", async () => {
      const { tasks, submit } = setup();
      const admitted = moduleRef.get(AdmittedTask);
      admitted.admitted.length = 0;

      await submit({ type: ADMITTED, payload: { name: 'Ada' }, submitter: USER });
      const refused = submit({ type: ADMITTED, payload: { name: 'nobody' }, submitter: USER });

      await expect(refused).rejects.toMatchObject({
        code: 'TASKS.INVALID',
        problems: [{ field: 'payload.name', messages: ['name must name someone'] }],
      });
      expect(admitted.admitted).toEqual([
        { payload: expect.objectContaining({ name: 'Ada' }), submitter: { ownerId: USER.userId } },
        { payload: expect.objectContaining({ name: 'nobody' }), submitter: { ownerId: USER.userId } },
      ]);
      expect(tasks.all()).toHaveLength(1);
    });

    it.each([
      [GREET, 6, 5],
      [PING, 11, 10],
    ])('refuses maxAttempts above the ceiling of %s (%i > %i), naming maxAttempts', async (type, asked, ceiling) => {
      const { submit } = setup();
      const payload = type === GREET ? { name: 'A' } : { target: { url: 'http://example.com' } };

      await expect(submit({ type, payload, maxAttempts: asked, submitter: USER })).rejects.toMatchObject({
        problems: [{ field: 'maxAttempts', messages: [expect.stringContaining(String(ceiling))] }],
      });
      expect((await submit({ type, payload, maxAttempts: ceiling, submitter: USER })).task.maxAttempts).toBe(ceiling);
    });
  });

  describe('idempotency keys of several owners', () => {
    it('gives two owners using one key a task each, and never answers one with the other’s task', async () => {
      const { tasks, submit } = setup();
      const input = { type: GREET, payload: { name: 'Ada' }, idempotencyKey: 'shared' };

      const mine = await submit({ ...input, submitter: USER });
      const theirs = await submit({ ...input, submitter: OTHER });
      const internal = await submit(input);

      expect([mine.created, theirs.created, internal.created]).toEqual([true, true, true]);
      expect(new Set([mine.task.id, theirs.task.id, internal.task.id]).size).toBe(3);
      expect(await submit({ ...input, submitter: OTHER })).toEqual({ task: theirs.task, created: false });
      expect(tasks.all()).toHaveLength(3);
    });

    it('keeps a key for TASK_IDEMPOTENCY_TTL_S, then makes a new task with it', async () => {
      const { clock, submit } = setup();
      const input = { type: GREET, payload: { name: 'Ada' }, idempotencyKey: 'daily', submitter: USER };

      const first = await submit(input);
      expect(first.task.idempotencyExpiresAt).toEqual(new Date(NOW.getTime() + TTL_MS));
      clock.at = new Date(NOW.getTime() + TTL_MS - 1);
      expect((await submit(input)).created).toBe(false);

      clock.at = new Date(NOW.getTime() + TTL_MS);
      const second = await submit(input);

      expect(second.created).toBe(true);
      expect(second.task.id).not.toBe(first.task.id);
    });
  });
});
