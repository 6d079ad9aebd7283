import { createTestDatabase } from '../helpers/test-database.js';
import { isFinished, signedInTasksApi, signUpTasksFinished } from '../tasks/tasks-api.js';
import {
  PROCESS_TEST_TIMEOUT_MS,
  TasksProcesses,
  attemptStartLines,
  eventually,
  expectExit,
  taskLines,
  taskRows,
} from './tasks-processes.js';

/** Short lock, and the stalled check at the same interval; the reconciler kept out of the way. */
const RECOVERY_ENV = { TASK_LOCK_DURATION_MS: '2000', TASK_RECONCILE_AFTER_MS: '600000' };

describe('tasks across processes: a worker killed mid-task (PostgreSQL queue)', () => {
  let databaseUrl: string;
  let processes: TasksProcesses;
  beforeEach(async () => {
    databaseUrl = await createTestDatabase('tasks_stalled');
    processes = new TasksProcesses({ DATABASE_URL: databaseUrl, ...RECOVERY_ENV });
  });
  afterEach(async () => {
    await processes.stopAll();
  });

  it(
    'after kill -9 the row stays running; stalled-job recovery in another worker runs it once more to success',
    async () => {
      const api = await processes.start('api');
      const { api: client, session } = await signedInTasksApi(api.url);
      const first = await processes.start('worker');
      // Finished before the kill, so the echo task is the only one it interrupts.
      const signUpIds = new Set(
        (await signUpTasksFinished(databaseUrl, session.userId, 30_000)).map((task) => task.id),
      );
      const task = await client.create({ type: 'tasks.echo', payload: { message: 'survivor', durationMs: 4000 } });
      await client.waitFor(task.id, (t) => t.status === 'running' && t.progress > 0, 30_000);

      first.child.kill('SIGKILL');
      await expectExit(first, { code: null, signal: 'SIGKILL' });
      const orphaned = await client.get(task.id);
      expect(orphaned).toMatchObject({ status: 'running', attempts: 1, finishedAt: null });
      expect(orphaned.progress).toBeGreaterThan(0);
      expect(orphaned.progress).toBeLessThan(100);
      expect(taskLines(first, task.id, /succeeded/)).toEqual([]);

      const second = await processes.start('worker');
      const done = await client.waitFor(task.id, isFinished, 40_000);
      expect(done).toMatchObject({ status: 'succeeded', attempts: 2, result: { message: 'survivor' }, error: null });

      await eventually(() => taskLines(second, task.id, /^Attempt 2 succeeded$/), 'the second attempt succeeding');
      expect(taskLines(second, task.id, /^Attempt 2 of 3 started$/)).toHaveLength(1);
      // Once, not twice at the same time: a second concurrent delivery would have made attempt 3.
      expect(attemptStartLines(second, task.id)).toHaveLength(1);
      expect(taskLines(second, task.id, /succeeded$/)).toHaveLength(1);
      expect(second.output()).not.toMatch(/Reconciled tasks/);

      expect((await taskRows(databaseUrl)).filter((row) => !signUpIds.has(row.id))).toEqual([
        { id: task.id, status: 'succeeded', attempts: 2, result: { message: 'survivor' } },
      ]);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
