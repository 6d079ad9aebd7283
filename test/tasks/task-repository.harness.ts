import { DataSource } from 'typeorm';
import type { NewTask, Task, TaskFailure, TaskStatus } from '../../src/modules/tasks/domain/task.js';
import { TaskRepository } from '../../src/modules/tasks/domain/task.repository.js';
import { newId } from '../../src/shared/ids.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

export const FAILURE: TaskFailure = { code: 'TESTS.BOOM', message: 'boom', attempt: 1 };
/** An updated_at no transition can produce, so "touched" and "left alone" are both visible. */
export const LONG_AGO = new Date('2001-02-03T04:05:06.789Z');

export const newTask = (overrides: Partial<NewTask> = {}): NewTask => ({
  id: newId(),
  type: 'tests.repository',
  payload: { n: 1 },
  maxAttempts: 3,
  nextAttemptAt: null,
  requestId: null,
  idempotencyKey: null,
  requestHash: null,
  ...overrides,
});

export interface TaskRepositoryHarness {
  tasks: TaskRepository;
  /** `UPDATE tasks SET <assignments> WHERE id = $1`, values from $2: to put a row in a state. */
  setColumns(id: string, assignments: string, params?: unknown[]): Promise<unknown>;
  /** The stored task, which must exist. */
  load(id: string): Promise<Task>;
  /** A new task brought to `status` through the repository's own transitions. */
  taskIn(status: TaskStatus, overrides?: Partial<NewTask>): Promise<Task>;
}

/**
 * The PostgreSQL adapter as the application builds it: an API-only app (no worker touches the
 * rows), its own database, and an empty `tasks` table before each test.
 */
export function useTaskRepository(): TaskRepositoryHarness {
  let t: TestApp;
  let db: DataSource;
  let tasks: TaskRepository;

  beforeAll(async () => {
    t = await createTestApp({ env: { APP_ROLE: 'api', THROTTLE_LIMIT: '10000' } });
    tasks = t.app.get(TaskRepository);
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());
  beforeEach(() => db.query('TRUNCATE tasks'));

  const harness: TaskRepositoryHarness = {
    get tasks() {
      return tasks;
    },
    setColumns: (id, assignments, params = []) =>
      db.query(`UPDATE tasks SET ${assignments} WHERE id = $1`, [id, ...params]),
    async load(id) {
      const task = await tasks.findById(id);
      if (!task) throw new Error(`task ${id} is not stored`);
      return task;
    },
    async taskIn(status, overrides = {}) {
      const { task } = await tasks.insert(newTask(overrides));
      if (status === 'queued') return task;
      if (status === 'cancelled') return (await tasks.cancel(task.id, ['queued']))!;
      const running = (await tasks.start(task.id))!;
      if (status === 'running') return running;
      if (status === 'succeeded') return (await tasks.succeed(task.id, { ok: true }))!;
      return (await tasks.fail(task.id, FAILURE))!;
    },
  };
  return harness;
}
