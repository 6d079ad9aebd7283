import { Injectable, Module } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  ADMINS_ONLY,
  ADMITTED,
  GREET,
  GreetModule,
  GreetPayload,
  GreetTask,
  INTERNAL_ONLY,
  OUTBOUND,
  PING,
  PingModule,
  PingTask,
  ScriptedRunner,
  SubmittersModule,
  taskTypesContext,
  taskTypesModule,
} from '../../../../test/fakes/task-types.js';
import { TaskHandler } from '../tasks.contracts.js';
import { DuplicateTaskTypeError, MAX_SUBMITTED_ATTEMPTS, TaskTypeRegistry, maySubmit } from './task-type.registry.js';

@Injectable()
@TaskHandler({ type: GREET, submitters: 'users', payload: GreetPayload })
class RivalGreetTask extends ScriptedRunner {}

@Module({ providers: [RivalGreetTask] })
class RivalModule {}

/** Not a task type: discovery must leave it out. */
@Injectable()
class PlainService {}

describe('TaskTypeRegistry', () => {
  let moduleRef: TestingModule;
  let registry: TaskTypeRegistry;
  let greet: GreetTask;

  beforeAll(async () => {
    moduleRef = await taskTypesContext({ providers: [PlainService], config: { defaultMaxAttempts: 7 } });
    registry = moduleRef.get(TaskTypeRegistry);
    greet = moduleRef.get(GreetTask);
  });
  afterAll(() => moduleRef.close());

  it('discovers the @TaskHandler providers of every module, sorted by name, and nothing else', () => {
    expect(registry.names()).toEqual([GREET, PING]);
    expect(registry.all().map((type) => type.type)).toEqual([GREET, PING]);
  });

  it('keeps the options and the provider instance of each type', () => {
    expect(registry.get(GREET)).toMatchObject({
      type: GREET,
      payload: GreetPayload,
      maxAttempts: 5,
      backoff: { baseDelayMs: 10, maxDelayMs: 40 },
    });
    expect(registry.get(GREET)?.runner).toBe(greet);
    expect(registry.get(PING)?.runner).toBeInstanceOf(PingTask);
    expect(registry.get('test.unknown')).toBeUndefined();
  });

  it('gives a type without maxAttempts the configured default', () => {
    expect(registry.get(PING)?.maxAttempts).toBe(7);
  });

  it("caps submitted attempts at the type's own maxAttempts, else at MAX_SUBMITTED_ATTEMPTS", () => {
    expect(registry.get(GREET)?.attemptsCeiling).toBe(5);
    expect(registry.get(PING)?.attemptsCeiling).toBe(MAX_SUBMITTED_ATTEMPTS);
  });

  describe('who may submit', () => {
    const user = { userId: 'u', role: 'user' } as const;
    const admin = { userId: 'a', role: 'admin' } as const;

    it.each([
      ['users', user, true],
      ['users', admin, true],
      ['admins', user, false],
      ['admins', admin, true],
      ['internal', user, false],
      ['internal', admin, false],
      ['internal', undefined, true],
      ['admins', undefined, true],
    ] as const)('%s types: %j may submit: %s', (submitters, submitter, allowed) => {
      expect(maySubmit({ submitters }, submitter)).toBe(allowed);
    });

    it('answers a type the submitter may not use exactly as an unknown one, listing only theirs', async () => {
      const context = await taskTypesContext({ imports: [GreetModule, SubmittersModule] });
      const types = context.get(TaskTypeRegistry);

      const forUser = [ADMITTED, GREET, OUTBOUND].join(', ');
      for (const type of [INTERNAL_ONLY, ADMINS_ONLY, 'test.nope']) {
        expect(await types.parse(type, { name: 'Ada' }, user)).toEqual({
          problems: [{ field: 'type', messages: [`must be one of: ${forUser}`] }],
        });
      }
      expect(types.namesFor(admin)).toEqual([ADMINS_ONLY, ADMITTED, GREET, OUTBOUND]);
      expect(await types.parse(INTERNAL_ONLY, { name: 'Ada' })).toEqual({ payload: { name: 'Ada' } });
      await context.close();
    });
  });

  it('finds no types in an application without handlers', async () => {
    const empty = await taskTypesContext({ imports: [] });

    expect(empty.get(TaskTypeRegistry).names()).toEqual([]);
    await empty.close();
  });

  describe('parse', () => {
    it('answers the plain payload for a valid one', async () => {
      const parsed = await registry.parse(GREET, { name: 'Ada', times: 2 });

      expect(parsed).toEqual({ payload: { name: 'Ada', times: 2 } });
      expect(Object.getPrototypeOf((parsed as { payload: object }).payload)).toBe(Object.prototype);
    });

    it('answers a nested payload as plain JSON too', async () => {
      expect(await registry.parse(PING, { target: { url: 'http://hooks.internal/x' } })).toEqual({
        payload: { target: { url: 'http://hooks.internal/x' } },
      });
    });

    it('names the known types when the type is unknown', async () => {
      expect(await registry.parse('test.nope', { name: 'Ada' })).toEqual({
        problems: [{ field: 'type', messages: [`must be one of: ${GREET}, ${PING}`] }],
      });
    });

    it.each([[null], ['Ada'], [42], [['Ada']], [undefined]])('refuses %j as a payload', async (payload) => {
      expect(await registry.parse(GREET, payload)).toEqual({
        problems: [{ field: 'payload', messages: ['must be an object'] }],
      });
    });

    it('names each invalid field as payload.<field>', async () => {
      const parsed = await registry.parse(GREET, { name: 42, times: 0 });

      expect(parsed).toEqual({
        problems: expect.arrayContaining([
          { field: 'payload.name', messages: expect.arrayContaining([expect.stringMatching(/name/)]) },
          { field: 'payload.times', messages: [expect.stringMatching(/times/)] },
        ]),
      });
      expect((parsed as { problems: unknown[] }).problems).toHaveLength(2);
    });

    it('refuses fields the type does not declare', async () => {
      expect(await registry.parse(GREET, { name: 'Ada', admin: true })).toEqual({
        problems: [{ field: 'payload.admin', messages: [expect.stringMatching(/admin/)] }],
      });
    });

    it('names nested fields by their path', async () => {
      const parsed = await registry.parse(PING, { target: { url: 'not a url' } });

      expect(parsed).toEqual({ problems: [{ field: 'payload.target.url', messages: [expect.any(String)] }] });
    });

    it('reports a missing required field', async () => {
      expect(await registry.parse(GREET, {})).toEqual({
        problems: [{ field: 'payload.name', messages: expect.any(Array) }],
      });
    });
  });

  it('hydrates a stored payload into an instance of the type DTO', () => {
    const payload = registry.hydrate(registry.get(GREET)!, { name: 'Ada' });

    expect(payload).toBeInstanceOf(GreetPayload);
    expect(payload).toEqual(Object.assign(new GreetPayload(), { name: 'Ada' }));
  });

  it('refuses to start when two providers claim one type, naming both', async () => {
    const clashing = await taskTypesModule({ imports: [GreetModule, PingModule, RivalModule] });

    const starting = clashing.init();

    await expect(starting).rejects.toThrow(DuplicateTaskTypeError);
    await expect(starting).rejects.toThrow(/"test\.greet".*(GreetTask.*RivalGreetTask|RivalGreetTask.*GreetTask)/);
    await clashing.close();
  });
});
