import type { Redis } from 'ioredis';
import { withTimeout } from '../../shared/with-timeout.js';

/** How the server keeps its data across a restart: append-only file, snapshots, nothing, or not known (CONFIG refused). */
export type RedisPersistence = 'aof' | 'rdb' | 'none' | 'unknown';

export const NO_PERSISTENCE_WARNING =
  'Redis keeps nothing on disk (appendonly no, no save points): a Redis restart loses every queued job. ' +
  'Task rows stay in PostgreSQL and the reconciler queues them again after TASK_RECONCILE_AFTER_MS; ' +
  'turn on appendonly (or save points) to lose nothing (see docs/operations.md, "Faults")';

const valueOf = (reply: unknown): string | undefined =>
  Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;

/**
 * Reads `appendonly` and `save`: BullMQ keeps its jobs in Redis, and a server that keeps
 * them only in memory loses them when it restarts. Managed services often refuse CONFIG:
 * that reads as `unknown`, never as a failure.
 */
export async function redisPersistence(redis: Pick<Redis, 'config'>, timeoutMs = 3000): Promise<RedisPersistence> {
  let replies: unknown[];
  try {
    replies = await withTimeout(
      Promise.all([redis.config('GET', 'appendonly'), redis.config('GET', 'save')]),
      timeoutMs,
    );
  } catch {
    return 'unknown';
  }
  const [appendonly, save] = replies.map(valueOf);
  if (appendonly === undefined || save === undefined) return 'unknown';
  if (appendonly === 'yes') return 'aof';
  return save.trim() === '' ? 'none' : 'rdb';
}
