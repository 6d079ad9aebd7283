import { randomBytes } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { RETENTION_QUEUE, RETENTION_SCHEDULER_ID } from '../../src/infrastructure/retention/retention-queue.js';
import { RetentionProcessor } from '../../src/infrastructure/retention/retention.processor.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { describeWithRedis, testRedisUrl } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait-for.js';

const INTERVAL_MS = 3_600_000;
/** A job crosses a real backend and worker: allow for a busy machine. */
const QUEUE_WAIT = { timeoutMs: 30_000, intervalMs: 100 };

/**
 * The retention schedule on one queue backend: two worker processes (apps) on the same queue
 * register one job scheduler between them, and one run happens, not one per process.
 */
function scheduleSuite(isolatedEnv: () => Record<string, string | undefined>): () => void {
  return () => {
    const apps: TestApp[] = [];
    afterAll(async () => {
      for (const app of apps) await app.close();
    });

    it('has one scheduler and one run with two worker processes; an api process does not run it', async () => {
      const databaseUrl = await createTestDatabase();
      const env = { ...isolatedEnv(), RETENTION_INTERVAL_MS: String(INTERVAL_MS) };
      apps.push(await createTestApp({ databaseUrl, env: { ...env, APP_ROLE: 'worker' } }));
      const queue = apps[0].app.get<Queue>(getQueueToken(RETENTION_QUEUE));

      // The first registration runs the sweeps at once (every interval from now on).
      const [first] = await waitFor(
        'the first retention run',
        () => queue.getJobs(['completed', 'failed']),
        (jobs: Job[]) => jobs.length > 0,
        QUEUE_WAIT,
      );
      expect(await first.getState()).toBe('completed');
      expect(first.returnvalue).toMatchObject({
        tasks: { tasks: 0, idempotencyKeys: 0 },
        auth: { loginFailures: 0, oneTimeTokens: 0, sessions: 0, revocations: 0 },
      });

      // A second worker process upserts the same scheduler: still one, and its pending run
      // keeps its time, so the restart or scale-out does not run the sweeps again.
      apps.push(await createTestApp({ databaseUrl, env: { ...env, APP_ROLE: 'worker' } }));
      apps.push(await createTestApp({ databaseUrl, env: { ...env, APP_ROLE: 'api' } }));
      expect(apps[1].app.get(RetentionProcessor).worker.isRunning()).toBe(true);
      expect(apps[2].app.get(RetentionProcessor).worker.isRunning()).toBe(false);

      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toEqual([expect.objectContaining({ key: RETENTION_SCHEDULER_ID, every: INTERVAL_MS })]);
      expect(await queue.getJobSchedulersCount()).toBe(1);
      // One run at a time across every worker process.
      expect(await queue.getGlobalConcurrency()).toBe(1);

      const counts = await queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
      expect(counts).toEqual({ completed: 1, failed: 0, active: 0, waiting: 0, delayed: 1 });
      const [next] = await queue.getJobs(['delayed']);
      expect(next.timestamp + next.delay).toBeGreaterThan(Date.now() + INTERVAL_MS - 60_000);
    });
  };
}

describe(
  'retention schedule on PostgreSQL (e2e)',
  scheduleSuite(() => ({ REDIS_URL: undefined })),
);

describeWithRedis(
  'retention schedule on Redis (e2e)',
  // Test files share one Redis server: a prefix of their own keeps their queues apart.
  scheduleSuite(() => ({ REDIS_URL: testRedisUrl, QUEUE_PREFIX: `retention_${randomBytes(4).toString('hex')}` })),
);
