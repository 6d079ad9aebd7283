import { join } from 'node:path';
import { EmbeddedPostgres } from '../../../src/infrastructure/database/embedded-postgres';
import { freePort } from '../../helpers/free-port';
import { buildForProcessTests } from './build-for-process-tests';
import { createRunDirectory, removeAbandonedRunDirectories } from './run-directory';
import { startTestRedis } from './test-redis';

/**
 * One PostgreSQL for the whole run (TEST_DATABASE_URL, or a throw-away embedded cluster with
 * durability off, the main speed lever), and one Redis when REDIS_URL is given or
 * `redis-server` is on the PATH. Test files create their own databases on it.
 */
export default async function globalSetup(): Promise<void> {
  buildForProcessTests();
  await removeAbandonedRunDirectories();
  const runDir = await createRunDirectory();
  globalThis.__testRunDir = runDir;

  if (!process.env.TEST_DATABASE_URL) {
    const server = await EmbeddedPostgres.start({
      dir: join(runDir, 'postgres'),
      port: await freePort(),
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '400' },
    });
    process.env.TEST_DATABASE_URL = server.url;
    globalThis.__testPostgres = server;
  }

  const redis = await startTestRedis(runDir);
  if (redis) {
    process.env.TEST_REDIS_URL = redis.url;
    globalThis.__testRedis = redis;
  } else {
    console.warn(
      '\n!!! No Redis for this run (REDIS_URL unset and redis-server not on the PATH): the Redis suites ' +
        'are SKIPPED and reported as skipped. Install redis-server (or set REDIS_URL) to run them.\n',
    );
  }
}
