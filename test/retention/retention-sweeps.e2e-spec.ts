import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { deleteInBatches, type SweepContext } from '../../src/infrastructure/retention/retention-sweep.js';
import { RetentionRunner } from '../../src/infrastructure/retention/retention.runner.js';
import { AUTH_RETAIN_MS } from '../../src/modules/auth/infrastructure/auth-retention.sweep.js';
import { TaskRetentionSweep } from '../../src/modules/tasks/infrastructure/task-retention.sweep.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

const DAY_MS = 86_400_000;
const BATCH = 500;
const HOUR_MS = 3_600_000;

const session = (expiresAt: Date) => ({ id: randomUUID(), expiresAt });
const token = (expiresAt: Date, usedAt: Date | null) => ({ id: randomUUID(), expiresAt, usedAt });

/**
 * The retention sweeps against real PostgreSQL, run directly (APP_ROLE=api: no worker, no
 * schedule), so each test decides when a run happens. The schedule is in retention-schedule.
 */
describe('retention sweeps (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let runner: RetentionRunner;
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);

  beforeAll(async () => {
    t = await createTestApp({
      env: { APP_ROLE: 'api', TASK_RETENTION_DAYS: '30', RETENTION_BATCH_SIZE: String(BATCH) },
    });
    db = t.app.get(DataSource);
    runner = t.app.get(RetentionRunner);
  });
  afterAll(() => t?.close());

  beforeEach(async () => {
    await db.query(`TRUNCATE tasks`);
  });

  /** Inserts `count` tasks with the given status and finish time; answers their ids. */
  async function insertTasks(
    count: number,
    status: string,
    finishedAt: Date | null,
    extra: { idempotencyKey?: (i: number) => string; idempotencyExpiresAt?: Date } = {},
  ): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    const keys = ids.map((_, i) => extra.idempotencyKey?.(i) ?? null);
    await db.query(
      `INSERT INTO tasks (id, type, payload, status, max_attempts, created_at, updated_at, finished_at,
         idempotency_key, idempotency_expires_at)
       SELECT id, 'tasks.echo', '{}'::jsonb, $2, 3, $5, $5, $3, key, $6
       FROM unnest($1::uuid[], $4::varchar[]) AS input(id, key)`,
      [ids, status, finishedAt, keys, ago(60 * DAY_MS), extra.idempotencyExpiresAt ?? null],
    );
    return ids;
  }

  const remaining = async (ids: string[]): Promise<number> => {
    const [{ count }] = await db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM tasks WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return count;
  };

  it('discovers the sweeps of the tasks and auth modules', () => {
    expect(runner.names).toEqual(expect.arrayContaining(['auth', 'tasks']));
  });

  it('deletes finished tasks older than TASK_RETENTION_DAYS in batches, and keeps younger and unfinished ones', async () => {
    const old = [
      ...(await insertTasks(1000, 'succeeded', ago(31 * DAY_MS))),
      ...(await insertTasks(1000, 'failed', ago(40 * DAY_MS))),
      ...(await insertTasks(500, 'cancelled', ago(30 * DAY_MS + HOUR_MS))),
    ];
    const young = await insertTasks(20, 'succeeded', ago(29 * DAY_MS));
    const unfinished = [...(await insertTasks(5, 'queued', null)), ...(await insertTasks(5, 'running', null))];

    // Run the sweep with a context that records each statement's count: the loop must go
    // past the batch size, one bounded statement at a time.
    const touched: number[] = [];
    const signal = new AbortController().signal;
    const context: SweepContext = {
      now,
      batchSize: BATCH,
      signal,
      inBatches: (statement) =>
        deleteInBatches(
          async (limit) => {
            const count = await statement(limit);
            touched.push(count);
            return count;
          },
          BATCH,
          signal,
        ),
    };
    const counts = await t.app.get(TaskRetentionSweep).sweep(context);

    expect(counts).toEqual({ tasks: 2500, idempotencyKeys: 0 });
    // 5 full batches of tasks and the one that finds none left, then the idempotency keys' one.
    expect(touched).toEqual([500, 500, 500, 500, 500, 0, 0]);
    expect(await remaining(old)).toBe(0);
    expect(await remaining(young)).toBe(20);
    expect(await remaining(unfinished)).toBe(10);
  });

  it('frees expired idempotency keys and keeps live ones, without deleting the tasks', async () => {
    const expired = await insertTasks(3, 'succeeded', ago(DAY_MS), {
      idempotencyKey: (i) => `expired-${i}-${randomUUID()}`,
      idempotencyExpiresAt: ago(1000),
    });
    const live = await insertTasks(2, 'queued', null, {
      idempotencyKey: (i) => `live-${i}-${randomUUID()}`,
      idempotencyExpiresAt: new Date(now.getTime() + HOUR_MS),
    });

    const result = await runner.runAll(now);

    expect(result.tasks).toEqual({ tasks: 0, idempotencyKeys: 3 });
    const rows = await db.query<{ id: string; key: string | null; expiresAt: Date | null }[]>(
      `SELECT id, idempotency_key AS key, idempotency_expires_at AS "expiresAt" FROM tasks WHERE id = ANY($1::uuid[])`,
      [[...expired, ...live]],
    );
    expect(rows).toHaveLength(5);
    for (const row of rows.filter((r) => expired.includes(r.id)))
      expect(row).toMatchObject({ key: null, expiresAt: null });
    for (const row of rows.filter((r) => live.includes(r.id))) expect(row.key).toMatch(/^live-/);
  });

  it('deletes expired sessions, one-time tokens, old login failures and revocations; keeps the live ones', async () => {
    const userId = randomUUID();
    await db.query(
      `INSERT INTO users (id, email, name, created_at, updated_at, version) VALUES ($1, $2, 'Retention', now(), now(), 1)`,
      [userId, `retention-${userId}@example.com`],
    );
    const sessions = {
      longExpired: session(ago(AUTH_RETAIN_MS + HOUR_MS)),
      recentlyExpired: session(ago(HOUR_MS)),
      live: session(new Date(now.getTime() + DAY_MS)),
    };
    for (const { id, expiresAt } of Object.values(sessions)) {
      await db.query(
        `INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, expires_at, absolute_expires_at)
         VALUES ($1, $2, $3, $3, $4, $4)`,
        [id, userId, ago(40 * DAY_MS), expiresAt],
      );
    }
    const tokens = {
      expired: token(ago(1000), null),
      expiredUsed: token(ago(1000), ago(HOUR_MS)),
      liveUsed: token(new Date(now.getTime() + HOUR_MS), ago(1000)),
      live: token(new Date(now.getTime() + HOUR_MS), null),
    };
    for (const { id, expiresAt, usedAt } of Object.values(tokens)) {
      await db.query(
        `INSERT INTO auth_one_time_tokens (id, token_hash, user_id, purpose, email, created_at, expires_at, used_at)
         VALUES ($1, $2, $3, 'password_reset', 'someone@example.com', $4, $5, $6)`,
        [id, Buffer.from(id), userId, ago(2 * HOUR_MS), expiresAt, usedAt],
      );
    }
    await db.query(
      `INSERT INTO auth_login_failures (account_key, address, failed_at)
       VALUES ('old', '192.0.2.1', $1), ('recent', '192.0.2.1', $2)`,
      [ago(2 * DAY_MS), ago(1000)],
    );
    const oldRevocation = randomUUID();
    const recentRevocation = randomUUID();
    await db.query(`INSERT INTO auth_revoked_sessions (session_id, revoked_at) VALUES ($1, $2), ($3, $4)`, [
      oldRevocation,
      ago(AUTH_RETAIN_MS + HOUR_MS),
      recentRevocation,
      ago(HOUR_MS),
    ]);

    const result = await runner.runAll(now);

    expect(result.auth).toEqual({ loginFailures: 1, oneTimeTokens: 2, sessions: 1, revocations: 1 });
    const ids = async (sql: string) => (await db.query<{ id: string }[]>(sql)).map((row) => row.id).sort();
    expect(await ids(`SELECT id FROM auth_sessions`)).toEqual([sessions.recentlyExpired.id, sessions.live.id].sort());
    expect(await ids(`SELECT id FROM auth_one_time_tokens`)).toEqual([tokens.liveUsed.id, tokens.live.id].sort());
    expect(await ids(`SELECT account_key AS id FROM auth_login_failures`)).toEqual(['recent']);
    // The deleted session was never revoked: its deletion is recorded as a revocation (now).
    expect(await ids(`SELECT session_id AS id FROM auth_revoked_sessions`)).toEqual(
      [recentRevocation, sessions.longExpired.id].sort(),
    );
  });

  it('logs each sweep with its counts at info', async () => {
    await runner.runAll(now);
    const lines = await waitFor(
      'the retention log lines',
      async () => t.logs.lines.filter((line) => line.msg === 'Retention sweep done'),
      (found) => found.some((line) => line.sweep === 'tasks') && found.some((line) => line.sweep === 'auth'),
    );
    const tasksLine = lines.find((line) => line.sweep === 'tasks')!;
    expect(tasksLine).toMatchObject({
      level: 30,
      counts: { tasks: expect.any(Number), idempotencyKeys: expect.any(Number) },
    });
  });
});
