import { Queue, Worker } from 'bullmq';

const QUEUE_BACKEND = new URL('../../dist/infrastructure/queue/queue-backend.js', import.meta.url);

const QUEUE = 'bench-baseline-tasks';

/** The no-op task both sides run: the app's `tasks.echo` without a duration returns at once. */
const TASK = { type: 'tasks.echo', payload: { message: 'x' } };

/**
 * Plain BullMQ: a `Queue` and a `Worker` in one process, a no-op processor, and producers that
 * add jobs with `removeOnComplete`. The backend and its connection come from the app's own
 * `selectQueueBackend` (dist/infrastructure/queue/queue-backend.js), the function that sets up
 * the app's queues, so both sides use the same backend factory, pool size and Redis options by
 * construction; it only chooses settings, no app code runs per job. Other defaults (lock
 * duration, stalled-job check) are BullMQ's, which the app's TASK_LOCK_DURATION_MS matches.
 * Runs in the baseline process (bench/tasks-baseline.js).
 * @param {import('./index.js').TasksBaselineContext} context
 * @returns {Promise<import('./index.js').TasksBaseline>}
 */
async function plainBullmq({ databaseUrl, redisUrl, concurrency }) {
  /** @type {{ selectQueueBackend(options: { redisUrl?: string, databaseUrl: string }): { connection: object } }} */
  const { selectQueueBackend } = await import(QUEUE_BACKEND.href);
  const { connection } = selectQueueBackend({ redisUrl, databaseUrl });
  // A queue name of its own: both sides share the backend, and the PostgreSQL backend ignores
  // `prefix` (it namespaces by schema), so a baseline queue named `tasks` would take the app's jobs.
  const options = { connection: /** @type {never} */ (connection) };
  const queue = new Queue(QUEUE, options);
  const worker = new Worker(QUEUE, async (job) => ({ message: job.data.message }), { ...options, concurrency });
  return {
    worker,
    add: () => queue.add(TASK.type, TASK.payload, { removeOnComplete: true }),
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

/**
 * @param {'postgres' | 'redis'} backend
 * @returns {import('./index.js').TasksScenario}
 */
function tasksOn(backend) {
  return {
    name: `tasks-${backend}`,
    kind: 'tasks',
    backend,
    title:
      `${TASK.type} tasks submitted with POST /v1/tasks and run to succeeded, BullMQ on ` +
      `${backend === 'postgres' ? 'PostgreSQL' : 'Redis'} vs a plain BullMQ Queue + Worker`,
    targetRatio: 0.5,
    task: TASK,
    baseline: plainBullmq,
  };
}

/**
 * Throughput of background tasks, end to end: see "Tasks" in bench/README.md.
 * @type {import('./index.js').TasksScenario}
 */
export const tasksPostgres = tasksOn('postgres');

/** @type {import('./index.js').TasksScenario} */
export const tasksRedis = tasksOn('redis');
