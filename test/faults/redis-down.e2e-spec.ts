import { randomBytes, randomUUID } from 'node:crypto';
import { DependencyUnavailableError } from '../../src/infrastructure/resilience/dependency-unavailable.js';
import { FixedWindowThrottlerStorage } from '../../src/infrastructure/http/throttling/fixed-window.storage.js';
import { RateLimitStorage } from '../../src/infrastructure/http/throttling/rate-limit.storage.js';
import { TaskQueue } from '../../src/modules/tasks/application/task-queue.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';
import { TASKS_TEST_ENV, type TaskJson, type TasksApi, isFinished, signedInTasksApi } from '../tasks/tasks-api.js';
import { DedicatedRedis, describeWithRedisServer, expectUnavailable } from './dedicated-services.js';

const RETRY_AFTER_S = '3';

/** Every request here is answered well within the test's time limit, or the test fails on it. */
const env = (redis: DedicatedRedis) => ({
  ...TASKS_TEST_ENV,
  REDIS_URL: redis.url,
  QUEUE_PREFIX: `fault_${randomBytes(4).toString('hex')}`,
  DEPENDENCY_RETRY_AFTER_S: RETRY_AFTER_S,
  THROTTLE_STORE_TIMEOUT_MS: '300',
  QUEUE_TIMEOUT_MS: '500',
});

const login = (t: TestApp) =>
  fetch(`${t.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'nobody@example.com', password: 'not a real password at all' }),
  });

/**
 * An app of its own for each fault: after Redis hung (SIGSTOP) and was then replaced by a new
 * server, the BullMQ worker's close never returned (its blocking wait from before the freeze
 * does not settle), so the app could not be closed in-process. A deployed process ends that
 * way through SHUTDOWN_TIMEOUT_MS (exit 1; its jobs are redelivered): docs/operations.md, "Faults".
 */
function appOnDedicatedRedis(): { redis: DedicatedRedis; t: TestApp; tasks: TasksApi } {
  const ctx = {} as { redis: DedicatedRedis; t: TestApp; tasks: TasksApi };
  beforeAll(async () => {
    ctx.redis = await DedicatedRedis.start();
    ctx.t = await createTestApp({ env: env(ctx.redis) });
    ({ api: ctx.tasks } = await signedInTasksApi(ctx.t.url));
  });
  afterAll(async () => {
    ctx.redis?.thaw();
    await ctx.t?.close();
    await ctx.redis?.kill();
  });
  return ctx;
}

describeWithRedisServer('Redis hangs: the rate limiter (e2e)', () => {
  const ctx = appOnDedicatedRedis();

  it('answers 503 with Retry-After within THROTTLE_STORE_TIMEOUT_MS, and serves once Redis answers', async () => {
    ctx.redis.freeze();
    try {
      await expectUnavailable(await ctx.tasks.list(), RETRY_AFTER_S);
      await expectUnavailable(await login(ctx.t), RETRY_AFTER_S);
    } finally {
      ctx.redis.thaw();
    }
    expect((await ctx.tasks.list()).status).toBe(200);
  });
});

describeWithRedisServer('Redis gone: the rate limiter (e2e)', () => {
  const ctx = appOnDedicatedRedis();

  it('answers 503 with Retry-After, not 500, and serves once Redis is back', async () => {
    await ctx.redis.kill();
    await expectUnavailable(await ctx.tasks.list(), RETRY_AFTER_S);
    await expectUnavailable(await login(ctx.t), RETRY_AFTER_S);

    await ctx.redis.start();
    await waitFor(
      'the task list',
      async () => (await ctx.tasks.list()).status,
      (status) => status === 200,
      { timeoutMs: 30_000 },
    );
  });
});

describeWithRedisServer('Redis down: adding a task to the queue (e2e)', () => {
  let redis: DedicatedRedis;
  let t: TestApp;
  let tasks: TasksApi;

  beforeAll(async () => {
    redis = await DedicatedRedis.start();
    // Rate limits in memory: what is under test is the queue's own deadline, behind the limiter.
    t = await createTestApp({
      env: env(redis),
      override: (builder) => builder.overrideProvider(RateLimitStorage).useValue(new FixedWindowThrottlerStorage()),
    });
    ({ api: tasks } = await signedInTasksApi(t.url));
  });
  afterAll(async () => {
    redis?.thaw();
    await t?.close();
    await redis?.kill();
  });

  it('gives up on the queue after QUEUE_TIMEOUT_MS: the stored task is accepted (202) and runs once Redis answers', async () => {
    redis.freeze();
    let task: TaskJson;
    try {
      const enqueue = t.app.get(TaskQueue).enqueue({ id: randomUUID(), type: 'tasks.echo', maxAttempts: 1 });
      await expect(enqueue).rejects.toBeInstanceOf(DependencyUnavailableError);
      task = await tasks.create({ type: 'tasks.echo', payload: { message: 'queued late' } });
      expect(await tasks.get(task.id)).toMatchObject({ status: 'queued', attempts: 0 });
    } finally {
      redis.thaw();
    }
    // The add reached Redis once it answered again (the job id is the task id: never twice).
    const done = await tasks.waitFor(task.id, isFinished, 30_000);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, result: { message: 'queued late' } });
  });
});
