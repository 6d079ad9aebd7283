import pg from 'pg';
import { createTestApp } from '../helpers/test-app.js';
import { queueBackendContract } from './queue-backend.contract.js';

/** Sessions other than the caller's on the database of `url`. */
async function otherSessions(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT application_name AS name FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe('Queue backend contract: PostgreSQL (e2e)', () => {
  queueBackendContract({
    kind: 'postgres',
    nulInStrings: 'rejected-at-enqueue',
    // No REDIS_URL, even if the developer's shell has one: PostgreSQL is the default backend.
    // Each app gets its own database, which is its own queue namespace.
    isolatedEnv: () => ({ REDIS_URL: undefined }),
    async storedJobIds(app, _env, queue) {
      const client = new pg.Client({ connectionString: app.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ id: string }>('SELECT id FROM bullmq.job WHERE queue = $1', [queue]);
        return rows.map((row) => row.id);
      } finally {
        await client.end();
      }
    },
  });

  // BullMQ names a worker's LISTEN connection once the worker is ready; a close that overtook
  // the naming left a connection behind (see ManagedWorker.close).
  it('leaves no connection open once an APP_ROLE=api app, whose worker never ran, is closed', async () => {
    const app = await createTestApp({ env: { REDIS_URL: undefined, APP_ROLE: 'api' } });

    await app.close();

    // A session can outlive its closed socket by a moment on the server: look a few times.
    let sessions = await otherSessions(app.databaseUrl);
    for (let look = 0; look < 20 && sessions.length > 0; look += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      sessions = await otherSessions(app.databaseUrl);
    }
    expect(sessions).toEqual([]);
  });
});
