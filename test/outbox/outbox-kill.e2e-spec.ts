import { type AppProcess, startAppProcess } from '../helpers/app-process.js';
import { adminSession, uniqueEmail } from '../helpers/auth.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait-for.js';
import { TASKS_TEST_ENV } from '../tasks/tasks-api.js';
import { OutboxDb, VERIFICATION, WELCOME } from './outbox-db.js';

const STARTED = /"msg":"Started \(role api\)"/;
/** Registrations sent at once: enough to commit users faster than the throttled relay below delivers them. */
const CLIENTS = 16;
/** Users committed before the kill. */
const BEFORE_KILL = 120;

interface MailTaskCount {
  id: string;
  welcome: number;
  verification: number;
}

/**
 * The issue's measurement as a test: registrations under load, `kill -9` of the process between
 * commits and their relay, a new process. Every user in the database must end up with exactly
 * one welcome-email task and one verification task: none missing (the outbox row committed
 * with the user), none twice (a delivery the dead process had begun is repeated, and the
 * listeners' idempotency keys absorb it).
 */
describe('outbox across kill -9 (real process)', () => {
  const started: AppProcess[] = [];
  let db: OutboxDb | undefined;
  afterAll(async () => {
    await Promise.all(started.map((app) => app.stop()));
    await db?.close();
  });

  const start = async (env: Record<string, string>) => {
    const app = await startAppProcess({ NODE_ENV: 'test', ...TASKS_TEST_ENV, APP_ROLE: 'api', ...env });
    started.push(app);
    await app.waitForOutput(STARTED, 60_000);
    return app;
  };

  it('gives every user committed before the kill its welcome and verification task, exactly once', async () => {
    const databaseUrl = await createTestDatabase('outbox_kill');
    db = await OutboxDb.connect(databaseUrl);
    // One event at a time, so committed-but-unrelayed events pile up under load, as they would
    // behind slow listeners: the kill then surely leaves some behind.
    const first = await start({ DATABASE_URL: databaseUrl, OUTBOX_BATCH_SIZE: '1', OUTBOX_CONCURRENCY: '1' });
    const admin = await adminSession(first.url, databaseUrl);

    const answered: string[] = [];
    const stop = new AbortController();
    const client = async () => {
      while (!stop.signal.aborted) {
        try {
          const res = await fetch(`${first.url}/v1/users`, {
            method: 'POST',
            headers: { ...admin.headers, 'content-type': 'application/json' },
            body: JSON.stringify({ email: uniqueEmail('kill'), name: 'Kill Nine' }),
          });
          if (res.status === 201) answered.push(((await res.json()) as { id: string }).id);
        } catch {
          return;
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await waitFor(
      'registrations',
      () => answered.length,
      (count) => count >= BEFORE_KILL,
      { timeoutMs: 60_000 },
    );
    first.child.kill('SIGKILL');
    stop.abort();
    await first.waitForExit();
    await Promise.all(clients);

    const [{ unrelayed }] = await db.query<{ unrelayed: number }>(
      `SELECT count(*)::int AS unrelayed FROM outbox_events WHERE relayed_at IS NULL`,
    );
    // Guards the premise: with every event relayed before the kill, this test would prove nothing.
    expect(unrelayed).toBeGreaterThan(0);

    await start({ DATABASE_URL: databaseUrl });
    await waitFor(
      'the new process to relay what the dead one left',
      () => db!.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_events WHERE relayed_at IS NULL`),
      ([{ n }]) => n === 0,
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    const users = await db.query<MailTaskCount>(
      `SELECT u.id,
              count(t.id) FILTER (WHERE t.type = $1)::int AS welcome,
              count(t.id) FILTER (WHERE t.type = $2)::int AS verification
       FROM users u LEFT JOIN tasks t ON t.payload->>'userId' = u.id::text
       GROUP BY u.id`,
      [WELCOME, VERIFICATION],
    );
    expect(users.length).toBeGreaterThanOrEqual(answered.length);
    expect(users.map((user) => user.id)).toEqual(expect.arrayContaining(answered));
    expect(users.filter((user) => user.welcome !== 1 || user.verification !== 1)).toEqual([]);
  }, 180_000);
});
