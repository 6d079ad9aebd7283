import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { withTimeout } from '../../shared/with-timeout.js';

export interface ShutdownOptions {
  timeoutMs: number;
  logger: LoggerService;
  /** Runs after the application closed (or gave up), e.g. stopping the embedded PostgreSQL. */
  afterClose?: () => Promise<void>;
}

/**
 * Closes the application in dependency order and returns the process exit code. Nest's
 * `close()` stops the HTTP listener and waits for in-flight requests, then runs the shutdown
 * hooks: BullMQ workers close before their queues (active jobs finish or, past the timeout,
 * are picked up again by stalled-job recovery), then TypeORM's pool. The whole sequence is
 * bounded by `timeoutMs`.
 */
export async function shutdownGracefully(app: INestApplicationContext, options: ShutdownOptions): Promise<number> {
  let exitCode = 0;
  try {
    await withTimeout(app.close(), options.timeoutMs);
  } catch (error) {
    options.logger.error({ err: error, msg: `Shutdown did not finish within ${options.timeoutMs} ms` });
    exitCode = 1;
  }
  try {
    await options.afterClose?.();
  } catch (error) {
    options.logger.error({ err: error, msg: 'Cleanup after shutdown failed' });
    exitCode = 1;
  }
  return exitCode;
}
