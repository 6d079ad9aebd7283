import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const databaseConfig = registerAs('database', () => {
  const env = loadEnv();
  return {
    url: env.DATABASE_URL,
    migrationsRun: env.DATABASE_MIGRATIONS_RUN,
    poolSize: env.DATABASE_POOL_SIZE,
    embedded: { dir: env.EMBEDDED_DB_DIR, port: env.EMBEDDED_DB_PORT },
  };
});
export type DatabaseConfig = ReturnType<typeof databaseConfig>;
