import { randomBytes } from 'node:crypto';
import { describeWithRedis, testRedisUrl } from '../helpers/redis.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';
import { TASKS_TEST_ENV, type TasksApi, isFinished, signedInTasksApi } from '../tasks/tasks-api.js';
import { DedicatedPostgres } from './dedicated-services.js';

/** More tries than the job's attempts: a job BullMQ counted each failed start on would be gone by then. */
const STARTS_TO_SEE = 4;

describeWithRedis('PostgreSQL down under the Redis queue (e2e)', () => {
  let postgres: DedicatedPostgres;
  let t: TestApp;
  let tasks: TasksApi;

  beforeAll(async () => {
    postgres = await DedicatedPostgres.start();
    const namespace = `fault_${randomBytes(4).toString('hex')}`;
    t = await createTestApp({
      databaseUrl: await postgres.createDatabase(namespace),
      env: {
        ...TASKS_TEST_ENV,
        REDIS_URL: testRedisUrl,
        QUEUE_PREFIX: namespace,
        THROTTLE_KEY_PREFIX: namespace,
        // Only the queue may bring the task back: the reconciler must not get to it first.
        TASK_RECONCILE_AFTER_MS: '600000',
      },
    });
    ({ api: tasks } = await signedInTasksApi(t.url));
  });
  afterAll(async () => {
    await t?.close();
    await postgres?.destroy();
  });

  const startFailures = (taskId: string) =>
    t.logs.lines.filter((line) => line.taskId === taskId && String(line.msg).includes('could not be started'));

  it('logs every start that fails, keeps the job, and runs the task once the database is back', async () => {
    const task = await tasks.create({ type: 'tasks.echo', payload: { message: 'outlives the outage' }, delayMs: 3000 });
    expect(task.maxAttempts).toBeLessThan(STARTS_TO_SEE);

    await postgres.stop();
    const failures = await waitFor(
      'failed starts logged with the task id',
      () => startFailures(task.id),
      (lines) => lines.length >= STARTS_TO_SEE,
      { timeoutMs: 30_000 },
    );
    expect(failures[0]).toMatchObject({ level: 40, retryInMs: expect.any(Number) });

    await postgres.start();
    const done = await waitFor(
      `task ${task.id}`,
      () => tasks.get(task.id).catch(() => undefined),
      (current) => current !== undefined && isFinished(current),
      { timeoutMs: 30_000 },
    );
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, result: { message: 'outlives the outage' } });
  });
});
