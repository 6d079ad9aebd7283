import type { Env } from '../config/env.schema.js';
import { DatabaseEndpoint } from './database-endpoint.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

export interface ResolvedDatabase {
  endpoint: DatabaseEndpoint;
  /** Stops the embedded server when this process started it; a no-op for an external database. */
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise (never in production: the config refuses) the embedded server. */
export async function resolveDatabase(env: Env, log: (message: string) => void): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) {
    return { endpoint: new DatabaseEndpoint(env.DATABASE_URL, 'external'), stop: async () => undefined };
  }
  const server = await EmbeddedPostgres.start({
    dir: env.EMBEDDED_DB_DIR,
    port: env.EMBEDDED_DB_PORT,
    database: 'app',
    log,
  });
  return { endpoint: new DatabaseEndpoint(server.url, 'embedded'), stop: () => server.stop() };
}
