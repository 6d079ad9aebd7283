import { type ConnectionOptions, createPostgresBackend, createRedisBackend, setDefaultBackendFactory } from 'bullmq';
import type { PostgresPoolConfig } from 'bullmq';

export type QueueBackendKind = 'postgres' | 'redis';

export interface QueueBackend {
  kind: QueueBackendKind;
  /** What BullMQ receives as `connection` for every queue and worker. */
  connection: ConnectionOptions | PostgresPoolConfig;
}

/**
 * Chooses the BullMQ backend for the whole process: Redis when a URL is given, otherwise
 * PostgreSQL in its own `bullmq` schema of the application database. `@nestjs/bullmq`
 * builds queues and workers without a backend factory, so the process default set here is
 * what they use; this must run before any queue is created.
 */
export function selectQueueBackend(options: {
  redisUrl?: string;
  databaseUrl: string;
  /** How long the PostgreSQL backend waits for a connection of its pool, connecting included. */
  connectTimeoutMs?: number;
}): QueueBackend {
  if (options.redisUrl) {
    setDefaultBackendFactory(createRedisBackend);
    return { kind: 'redis', connection: redisConnection(options.redisUrl) };
  }
  setDefaultBackendFactory(createPostgresBackend);
  // migrate: without it BullMQ refuses to start because its schema does not exist yet.
  return {
    kind: 'postgres',
    connection: {
      connectionString: options.databaseUrl,
      migrate: true,
      max: 5,
      connectionTimeoutMillis: options.connectTimeoutMs,
    },
  };
}

function redisConnection(url: string): ConnectionOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    // Workers block on Redis; BullMQ requires unlimited retries on their connections.
    maxRetriesPerRequest: null,
  };
}
