/**
 * How a module contributes to retention: a provider, in any module, marked `@RetentionSweep`,
 * whose `sweep` deletes (or clears) what has outlived its use, in bounded batches:
 *
 *   @RetentionSweep({ name: 'tasks' })
 *   export class TaskRetentionSweep implements RetentionSweeper {
 *     async sweep({ now, inBatches }: SweepContext): Promise<SweepCounts> {
 *       const tasks = await inBatches((limit) => this.deleteFinishedBefore(cutoff, limit));
 *       return { tasks };
 *     }
 *   }
 *
 * One worker process at a time runs every sweep, one after the other (`RetentionModule`).
 * A run can stop between two batches (shutdown) or be repeated (BullMQ delivers at least
 * once), so a sweep must be safe to stop and to run twice: a `DELETE ... WHERE <expired>`
 * is both.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DiscoveryService } from '@nestjs/core';

export interface RetentionSweepOptions {
  /** Names the sweep in logs and in the run's result: the module's name, unique in the application. */
  name: string;
}

/** Marks a provider as a retention sweep; the retention runner discovers it at startup. */
export const RetentionSweep = DiscoveryService.createDecorator<RetentionSweepOptions>();

/** What one run of a sweep removed, by kind (`{ tasks: 2500, idempotencyKeys: 3 }`): counts, never values. */
export type SweepCounts = Record<string, number>;

export interface SweepContext {
  /** The run's time; every cutoff of the run is computed from it. */
  now: Date;
  /** RETENTION_BATCH_SIZE: the most rows one statement may touch. */
  batchSize: number;
  /** Fires at shutdown; `inBatches` stops before its next batch. */
  signal: AbortSignal;
  /**
   * Runs `statement(limit)` (one statement touching at most `limit` rows, answering how many it
   * touched) until it touches fewer than `limit`, and answers the total.
   */
  inBatches(statement: (limit: number) => Promise<number>): Promise<number>;
}

export interface RetentionSweeper {
  sweep(context: SweepContext): Promise<SweepCounts>;
}

/**
 * The batching loop behind `SweepContext.inBatches`. Each batch is its own statement (and
 * transaction), so locks are held briefly and the connection goes back to the pool between
 * batches; the pause on the event loop lets requests waiting for a connection take it first.
 */
export async function deleteInBatches(
  statement: (limit: number) => Promise<number>,
  batchSize: number,
  signal: AbortSignal,
): Promise<number> {
  let total = 0;
  for (;;) {
    signal.throwIfAborted();
    const touched = await statement(batchSize);
    total += touched;
    if (touched < batchSize) return total;
    await yieldToEventLoop();
  }
}

/**
 * Rows touched by a `DELETE`/`UPDATE` run through TypeORM's `query()`: the PostgreSQL driver
 * answers `[rows, affected]` for them.
 */
export function affectedRows(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
