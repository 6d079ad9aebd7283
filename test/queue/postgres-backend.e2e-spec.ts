import { createTestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait-for.js';
import { queueBackendContract } from './queue-backend.contract.js';

/** Sessions other than the caller's on the database of `url`. */
function otherSessions(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT application_name AS name FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return rows.map((row) => row.name);
  });
}

describe('Queue backend contract: PostgreSQL (e2e)', () => {
  queueBackendContract({
    kind: 'postgres',
    nulInStrings: 'rejected-at-enqueue',
    // No REDIS_URL, even if the developer's shell has one: PostgreSQL is the default backend.
    // Each app gets its own database, which is its own queue namespace.
    isolatedEnv: () => ({ REDIS_URL: undefined }),
    storedJobIds: (app, _env, queue) =>
      withClient(app.databaseUrl, async (client) => {
        const { rows } = await client.query<{ id: string }>('SELECT id FROM bullmq.job WHERE queue = $1', [queue]);
        return rows.map((row) => row.id);
      }),
  });

  // BullMQ names a worker's LISTEN connection once the worker is ready; a close that overtakes
  // the naming would leave a connection behind (see ManagedWorker.close).
  it('leaves no connection open once an APP_ROLE=api app, whose worker never ran, is closed', async () => {
    const app = await createTestApp({ env: { REDIS_URL: undefined, APP_ROLE: 'api' } });

    await app.close();

    // A session can outlive its closed socket by a moment on the server: look again for up to
    // 2 s; the failure names the sessions still there.
    await waitFor(
      'the sessions left on the database of the closed app',
      () => otherSessions(app.databaseUrl),
      (names) => names.length === 0,
      { timeoutMs: 2000, intervalMs: 100 },
    );
  });
});
