import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const databaseConfig = registerAs('database', () => {
  const env = loadEnv();
  return {
    url: env.DATABASE_URL,
    migrationsRun: env.DATABASE_MIGRATIONS_RUN,
    poolSize: env.DATABASE_POOL_SIZE,
    /** How long a query may wait for a pooled connection, connecting included. */
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    /** PostgreSQL's `statement_timeout` for every statement of the application's pool. */
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    embedded: { dir: env.EMBEDDED_DB_DIR, port: env.EMBEDDED_DB_PORT },
  };
});
export type DatabaseConfig = ReturnType<typeof databaseConfig>;
