import { CommandBus } from '@nestjs/cqrs';
import pg from 'pg';
import { ReconcileTasksCommand } from '../../src/modules/tasks/application/commands/reconcile-tasks/reconcile-tasks.command.js';
import { newId } from '../../src/shared/ids.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { adminSession } from '../helpers/auth.js';
import { signUpTasksFinished, TASKS_TEST_ENV, tasksApi, type TasksApi } from './tasks-api.js';

const reconcileUpTo = (offsetMs: number) => new ReconcileTasksCommand(new Date(Date.now() + offsetMs));

/**
 * The reconciler repairs tasks whose row and queue job disagree. Rows without a job are made
 * here with SQL, as a crash between storing a task and queueing it would leave them.
 */
describe('task reconciliation (e2e)', () => {
  let t: TestApp;
  let api: TasksApi;
  let db: pg.Client;
  let commands: CommandBus;

  beforeAll(async () => {
    // Only the reconciliations this file runs: the timer's first tick is at startup, before any row exists.
    t = await createTestApp({
      env: { ...TASKS_TEST_ENV, REDIS_URL: undefined, TASK_RECONCILE_INTERVAL_MS: '3600000' },
    });
    // An admin: the rows made below with SQL have no owner, as the application's own tasks.
    const admin = await adminSession(t.url, t.databaseUrl);
    api = tasksApi(t.url, admin.headers);
    // The sign-up's own tasks, still being queued, would be in the way of the exact reports below.
    await signUpTasksFinished(t.databaseUrl, admin.userId);
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    commands = t.app.get(CommandBus);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  /** A row as a lost job leaves it: no queue job exists for it. */
  async function insertJobless(status: 'queued' | 'running', attempts: number, maxAttempts = 3): Promise<string> {
    const id = newId();
    await db.query(
      `INSERT INTO tasks (id, type, payload, status, attempts, max_attempts, started_at)
       VALUES ($1, 'tasks.echo', $2, $3, $4, $5, $6)`,
      [
        id,
        { message: `orphan ${status} ${attempts}` },
        status,
        attempts,
        maxAttempts,
        status === 'running' ? new Date() : null,
      ],
    );
    return id;
  }

  it('queues again a queued task that has no job, which then succeeds', async () => {
    const id = await insertJobless('queued', 0);
    const report = await commands.execute(reconcileUpTo(1000));
    expect(report).toEqual({ requeued: [id], abandoned: [] });

    const done = await api.waitFor(id, (task) => task.status === 'succeeded', 15_000);
    expect(done).toMatchObject({ attempts: 1, result: { message: 'orphan queued 0' }, error: null });
  });

  it('queues again a running task whose job was lost before its last attempt, which then succeeds', async () => {
    const id = await insertJobless('running', 1);
    const report = await commands.execute(reconcileUpTo(1000));
    expect(report).toEqual({ requeued: [id], abandoned: [] });

    const done = await api.waitFor(id, (task) => task.status === 'succeeded', 15_000);
    expect(done).toMatchObject({ attempts: 2, result: { message: 'orphan running 1' } });
  });

  it('fails as TASKS.ABANDONED a running task whose job was lost on its last attempt', async () => {
    const id = await insertJobless('running', 3, 3);
    const report = await commands.execute(reconcileUpTo(1000));
    expect(report).toEqual({ requeued: [], abandoned: [id] });

    const failed = await api.get(id);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { code: 'TASKS.ABANDONED', attempt: 3, message: expect.any(String) },
      nextAttemptAt: null,
    });
    expect(failed.finishedAt).toEqual(expect.any(String));
  });

  it('leaves alone tasks whose job is alive: a delayed one and a running one', async () => {
    const delayed = await api.create({ type: 'tasks.echo', payload: { message: 'later' }, delayMs: 60_000 });
    const running = await api.create({ type: 'tasks.echo', payload: { message: 'busy', durationMs: 20_000 } });
    await api.waitFor(running.id, (task) => task.status === 'running', 15_000);
    const orphan = await insertJobless('queued', 0);

    // Far enough ahead that the delayed task's start time does not exclude it: only its job does.
    const report = await commands.execute(reconcileUpTo(120_000));
    expect(report).toEqual({ requeued: [orphan], abandoned: [] });
    expect(await api.get(delayed.id)).toMatchObject({ status: 'queued', attempts: 0, startedAt: null });
    expect(await api.get(running.id)).toMatchObject({ status: 'running', attempts: 1 });

    await api.waitFor(orphan, (task) => task.status === 'succeeded', 15_000);
    for (const id of [delayed.id, running.id]) expect([200, 202]).toContain((await api.cancel(id)).status);
    await api.waitFor(running.id, (task) => task.status === 'cancelled', 15_000);
  });

  it('leaves alone a task updated after the given time, and repairs it once that time is later', async () => {
    const id = await insertJobless('queued', 0);
    const early = await commands.execute(reconcileUpTo(-60_000));
    expect(early).toEqual({ requeued: [], abandoned: [] });
    expect(await api.get(id)).toMatchObject({ status: 'queued', attempts: 0, startedAt: null });

    const later = await commands.execute(reconcileUpTo(1000));
    expect(later).toEqual({ requeued: [id], abandoned: [] });
    await api.waitFor(id, (task) => task.status === 'succeeded', 15_000);
  });
});
