import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '../helpers/test-database.js';
import { describeWithRedis, testRedisUrl } from '../helpers/redis.js';
import { isFinished, signedInTasksApi, signUpTasksFinished, type TaskJson } from '../tasks/tasks-api.js';
import {
  PROCESS_TEST_TIMEOUT_MS,
  TasksProcesses,
  attemptStartLines,
  eventually,
  taskLines,
} from './tasks-processes.js';

const ECHO = 'tasks.echo';
const ANY_ATTEMPT = /Attempt \d+ of/;

/**
 * Five echo tasks submitted to an api-only process run in a separate worker process: the
 * api never runs an attempt, and the worker's attempt lines carry the task id and the
 * request id of the POST that created the task. The sign-up's own tasks run there too.
 */
async function apiQueuesWorkerRuns(processes: TasksProcesses): Promise<void> {
  const api = await processes.start('api');
  const { api: client, session } = await signedInTasksApi(api.url);
  const worker = await processes.start('worker');
  const signUpTasks = await signUpTasksFinished(processes.databaseUrl, session.userId, 30_000);

  const submitted = await Promise.all(
    [1, 2, 3, 4, 5].map(async (n) => {
      const res = await client.submit({ type: ECHO, payload: { message: `hello ${n}` } });
      expect(res.status).toBe(202);
      return { task: (await res.json()) as TaskJson, requestId: res.headers.get('x-request-id') };
    }),
  );
  expect(new Set(submitted.map(({ requestId }) => requestId)).size).toBe(5);

  for (const { task, requestId } of submitted) {
    expect(requestId).toEqual(expect.any(String));
    expect(task.requestId).toBe(requestId);
    const done = await client.waitFor(task.id, (t) => t.status === 'succeeded' || t.status === 'failed', 30_000);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, result: { message: task.payload.message } });

    const [line] = await eventually(() => attemptStartLines(worker, task.id), `the attempt line of ${task.id}`);
    expect(line).toMatchObject({ context: `Task ${ECHO}`, msg: 'Attempt 1 of 3 started', taskId: task.id, requestId });
  }
  // One attempt of each task, and nothing else.
  const expectedIds = [...submitted.map(({ task }) => task.id), ...signUpTasks.map((task) => task.id)];
  expect(
    attemptStartLines(worker)
      .map((line) => String(line.taskId))
      .toSorted(),
  ).toEqual(expectedIds.toSorted());
  expect(attemptStartLines(api)).toEqual([]);
  expect(api.output()).not.toMatch(ANY_ATTEMPT);
  expect(api.output()).not.toContain(`"context":"Task ${ECHO}"`);
}

describe('tasks across processes: api and worker roles on one database (PostgreSQL queue)', () => {
  let processes: TasksProcesses;
  beforeEach(async () => {
    processes = new TasksProcesses({ DATABASE_URL: await createTestDatabase('tasks_roles') });
  });
  afterEach(async () => {
    await processes.stopAll();
  });

  it(
    'the api process only queues; the worker process runs every task, logging taskId and the POST requestId',
    async () => {
      await apiQueuesWorkerRuns(processes);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'with no worker running, a task stays queued; a worker started later runs it',
    async () => {
      const api = await processes.start('api');
      const { api: client } = await signedInTasksApi(api.url);
      const task = await client.create({ type: ECHO, payload: { message: 'waiting for a worker' } });

      // An echo task without duration takes milliseconds where a worker runs: give one the chance.
      await sleep(2000);
      expect(await client.get(task.id)).toMatchObject({ status: 'queued', attempts: 0, startedAt: null });

      const worker = await processes.start('worker');
      const done = await client.waitFor(task.id, isFinished, 30_000);
      expect(done).toMatchObject({ status: 'succeeded', attempts: 1, result: { message: 'waiting for a worker' } });
      await eventually(() => taskLines(worker, task.id, /^Attempt 1 succeeded$/), 'the success line in the worker');
      expect(api.output()).not.toMatch(ANY_ATTEMPT);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});

describeWithRedis('tasks across processes: api and worker roles (Redis queue)', () => {
  let processes: TasksProcesses;
  beforeEach(async () => {
    processes = new TasksProcesses({
      DATABASE_URL: await createTestDatabase('tasks_roles_redis'),
      REDIS_URL: testRedisUrl!,
      QUEUE_PREFIX: `tasks_roles_${randomBytes(4).toString('hex')}`,
    });
  });
  afterEach(async () => {
    await processes.stopAll();
  });

  it(
    'the api process only queues; the worker process runs every task, logging taskId and the POST requestId',
    async () => {
      await apiQueuesWorkerRuns(processes);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
