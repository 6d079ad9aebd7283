import { randomBytes } from 'node:crypto';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';
import { TASKS_TEST_ENV, type TasksApi, isFinished, signedInTasksApi } from '../tasks/tasks-api.js';
import { DedicatedPostgres, expectUnavailable } from './dedicated-services.js';

const RETRY_AFTER_S = '7';

describe('PostgreSQL down and back (e2e, PostgreSQL queue)', () => {
  let postgres: DedicatedPostgres;
  let t: TestApp;
  let tasks: TasksApi;

  beforeAll(async () => {
    postgres = await DedicatedPostgres.start();
    const databaseUrl = await postgres.createDatabase(`fault_${randomBytes(4).toString('hex')}`);
    t = await createTestApp({
      databaseUrl,
      env: { ...TASKS_TEST_ENV, REDIS_URL: undefined, DEPENDENCY_RETRY_AFTER_S: RETRY_AFTER_S },
    });
    ({ api: tasks } = await signedInTasksApi(t.url));
  });
  afterAll(async () => {
    await t?.close();
    await postgres?.destroy();
  });

  it('answers 503 with Retry-After while it is down, never 500, and serves again once it is back', async () => {
    const before = await tasks.create({ type: 'tasks.echo', payload: { message: 'before' } });
    await tasks.waitFor(before.id, isFinished);

    await postgres.stop();
    // A read (through the authentication guard, whose revocation check now asks the
    // database), a write, and a public route that needs the database.
    await expectUnavailable(await tasks.list(), RETRY_AFTER_S);
    await expectUnavailable(
      await tasks.submit({ type: 'tasks.echo', payload: { message: 'while down' } }),
      RETRY_AFTER_S,
    );
    await expectUnavailable(
      await fetch(`${t.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@example.com', password: 'not a real password at all' }),
      }),
      RETRY_AFTER_S,
    );
    // The log names what was out of reach; the client was not told.
    expect(
      t.logs.lines.some((line) => (line.err as { dependency?: string } | undefined)?.dependency === 'database'),
    ).toBe(true);

    await postgres.start();
    await waitFor(
      'the task list',
      async () => (await tasks.list()).status,
      (status) => status === 200,
      {
        timeoutMs: 30_000,
      },
    );
    // The PostgreSQL queue backend takes jobs again.
    const after = await tasks.create({ type: 'tasks.echo', payload: { message: 'after' } });
    expect(await tasks.waitFor(after.id, isFinished, 30_000)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });
});
