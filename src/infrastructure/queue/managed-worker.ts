import { type Processor, Worker, type WorkerOptions, isNotConnectionError } from 'bullmq';
import { guardPostgresClients } from './pg-client-guard.js';

/**
 * Pause after a failed fetch of the next job, before the main loop tries again: the longest a
 * worker keeps idling once its backend is back. BullMQ's own pause (`runRetryDelay`, 15 s by
 * default) after a connection error left a worker idle for 15.8 s after PostgreSQL restarted.
 */
export const FETCH_RETRY_DELAY_MS = 1000;

type FetchNextJob = (this: Worker, token: string, options?: { block?: boolean }) => Promise<unknown>;

/**
 * The worker class `@nestjs/bullmq` instantiates for every `@Processor`.
 *
 * - It never starts on its own: `WorkerLifecycle` runs it only in processes whose role runs
 *   workers, so an `APP_ROLE=api` process can register processors without consuming jobs.
 * - A failed fetch of the next job is followed by one pause of FETCH_RETRY_DELAY_MS. BullMQ's
 *   main loop pauses `runRetryDelay` (set to the same) for errors it recognises as connection
 *   errors (`ECONNREFUSED`, a closed connection) and retries anything else at once; when
 *   PostgreSQL goes away, the PostgreSQL backend also fails with other errors ("terminating
 *   connection", "the database system is shutting down"), and without a pause of its own the
 *   loop spins at 100% CPU, logging each failure, until the database comes back. The pause is
 *   added only for those, so no failure waits twice. `_getNextJob` is private in BullMQ's
 *   types, hence the cast.
 * - `close()` first lets the worker finish becoming ready. Once ready, BullMQ's PostgreSQL
 *   backend names its dedicated LISTEN connection, opening that connection if needed; without
 *   the wait, a close that overtakes it (a worker that never ran: `APP_ROLE=api`, or a start
 *   that failed) ends the pool first, and the naming then opens a connection nobody closes,
 *   which keeps the process alive. The wait is the worker's own readiness, already under way since the
 *   constructor; shutdown as a whole is bounded by `SHUTDOWN_TIMEOUT_MS`.
 */
export class ManagedWorker extends Worker {
  constructor(name: string, processor: Processor, options: WorkerOptions) {
    super(name, processor, { runRetryDelay: FETCH_RETRY_DELAY_MS, ...options, autorun: false });
    guardPostgresClients(this);
    const fetchNextJob = (Worker.prototype as unknown as { _getNextJob: FetchNextJob })._getNextJob;
    Object.defineProperty(this, '_getNextJob', {
      value: async (token: string, fetchOptions?: { block?: boolean }) => {
        try {
          return await fetchNextJob.call(this, token, fetchOptions);
        } catch (error) {
          if (!this.closing && isNotConnectionError(error as Error)) await this.delay(FETCH_RETRY_DELAY_MS);
          throw error;
        }
      },
    });
  }

  override async close(force = false): Promise<void> {
    await this.waitUntilReady().catch(() => undefined);
    return super.close(force);
  }
}
