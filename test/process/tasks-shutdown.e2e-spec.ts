import { createTestDatabase } from '../helpers/test-database.js';
import { isFinished, signedInTasksApi, signUpTasksFinished } from '../tasks/tasks-api.js';
import { PROCESS_TEST_TIMEOUT_MS, TasksProcesses, eventually, expectExit, taskLines } from './tasks-processes.js';

const ECHO = 'tasks.echo';

/** Only the queue may hand an interrupted task back: the reconciler must not get to it first. */
const NO_RECONCILE = { TASK_RECONCILE_AFTER_MS: '600000' };

describe('tasks across processes: SIGTERM to a worker while a task runs (PostgreSQL queue)', () => {
  let processes: TasksProcesses;
  beforeEach(async () => {
    processes = new TasksProcesses({ DATABASE_URL: await createTestDatabase('tasks_shutdown'), ...NO_RECONCILE });
  });
  afterEach(async () => {
    await processes.stopAll();
  });

  it(
    'lets a task that fits in SHUTDOWN_TIMEOUT_MS finish, then exits 0',
    async () => {
      const api = await processes.start('api');
      const { api: client, session } = await signedInTasksApi(api.url);
      const worker = await processes.start('worker', { SHUTDOWN_TIMEOUT_MS: '20000' });
      // Only the echo task may be running when the signal comes.
      await signUpTasksFinished(processes.databaseUrl, session.userId, 30_000);
      const task = await client.create({ type: ECHO, payload: { message: 'finish me', durationMs: 2000 } });
      await client.waitFor(task.id, (t) => t.status === 'running', 30_000);

      worker.child.kill('SIGTERM');
      await expectExit(worker, { code: 0, signal: null });

      expect(await client.get(task.id)).toMatchObject({
        status: 'succeeded',
        attempts: 1,
        result: { message: 'finish me' },
        error: null,
      });
      const output = worker.output();
      expect(output).toMatch(/Shutdown complete \(exit code 0\)/);
      expect(output).not.toMatch(/interrupted by shutdown/);
      // The signal arrived while the attempt was still running, and the attempt still ended well.
      const lines = output.split('\n');
      const signalled = lines.findIndex((line) => line.includes('SIGTERM received'));
      const succeeded = lines.findIndex((line) => line.includes('Attempt 1 succeeded') && line.includes(task.id));
      expect(signalled).toBeGreaterThan(-1);
      expect(succeeded).toBeGreaterThan(signalled);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'puts a task that outlasts SHUTDOWN_TIMEOUT_MS back in the queue, the attempt not counted; another worker runs it again',
    async () => {
      const api = await processes.start('api');
      const { api: client, session } = await signedInTasksApi(api.url);
      const first = await processes.start('worker', { SHUTDOWN_TIMEOUT_MS: '3000' });
      await signUpTasksFinished(processes.databaseUrl, session.userId, 30_000);
      const task = await client.create({ type: ECHO, payload: { message: 'interrupted', durationMs: 6000 } });
      await client.waitFor(task.id, (t) => t.status === 'running', 30_000);

      first.child.kill('SIGTERM');
      // Exit code 0 means the whole shutdown, requeue included, fitted in SHUTDOWN_TIMEOUT_MS.
      await expectExit(first, { code: 0, signal: null });
      // A deploy must not burn retries: the interrupted attempt is given back.
      expect(await client.get(task.id)).toMatchObject({
        status: 'queued',
        attempts: 0,
        error: null,
        finishedAt: null,
        nextAttemptAt: null,
      });
      expect(taskLines(first, task.id, /^Attempt 1 interrupted by shutdown/)).toHaveLength(1);
      expect(taskLines(first, task.id, /^Attempt 1 succeeded$/)).toEqual([]);

      const second = await processes.start('worker');
      const done = await client.waitFor(task.id, isFinished, 40_000);
      expect(done).toMatchObject({ status: 'succeeded', attempts: 1, result: { message: 'interrupted' }, error: null });
      await eventually(() => taskLines(second, task.id, /^Attempt 1 succeeded$/), 'the attempt run again succeeding');
      expect(taskLines(second, task.id, /^Attempt 1 of 3 started$/)).toHaveLength(1);
      expect(second.output()).not.toMatch(/Reconciled tasks/);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
