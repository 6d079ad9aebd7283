import pg from 'pg';
import { queueBackendContract } from './queue-backend.contract.js';

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
});
