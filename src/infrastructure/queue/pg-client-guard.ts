import type { EventEmitter } from 'node:events';

/**
 * Gives every PostgreSQL client of a queue's or worker's pool an `error` listener. BullMQ's
 * PostgreSQL backend guards only idle clients; a client checked out when the server went
 * away (a restart, a failover) emitted an unhandled `error` and crashed the process. The
 * query that was running on it fails and reports the error itself, so the listener has
 * nothing to add. No-op on the Redis backend.
 */
export function guardPostgresClients(queueOrWorker: object): void {
  const pool = (queueOrWorker as { backend?: { connection?: { pool?: EventEmitter } } }).backend?.connection?.pool;
  pool?.on('connect', (client: EventEmitter) => client.on('error', () => undefined));
}
