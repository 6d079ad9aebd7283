import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { type RetentionConfig, retentionConfig } from '../config/retention.config.js';
import { deleteInBatches, RetentionSweep, type RetentionSweeper, type SweepCounts } from './retention-sweep.js';

interface DiscoveredSweep {
  name: string;
  sweeper: RetentionSweeper;
}

/** What one run did: each sweep's counts, or that it failed or was not reached. */
export type RetentionRunResult = Record<string, SweepCounts | { failed: true } | { skipped: 'shutdown' }>;

/**
 * Finds every `@RetentionSweep` provider at startup and runs them one after the other. A
 * failing sweep is logged and does not stop the others; the run then fails as a whole, so
 * the queue keeps it among the failed jobs. Shutdown stops the run between two batches.
 */
@Injectable()
export class RetentionRunner implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private readonly shutdown = new AbortController();
  private sweeps: DiscoveredSweep[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(retentionConfig.KEY) private readonly config: RetentionConfig,
  ) {}

  onModuleInit(): void {
    const found = this.discovery.getProviders({ metadataKey: RetentionSweep.KEY });
    const names = new Set<string>();
    this.sweeps = found.map((wrapper) => {
      const { name } = this.discovery.getMetadataByDecorator(RetentionSweep, wrapper)!;
      const sweeper = wrapper.instance as Partial<RetentionSweeper> | undefined;
      if (typeof sweeper?.sweep !== 'function') {
        throw new Error(`@RetentionSweep '${name}' (${wrapper.name}) has no sweep() method`);
      }
      if (names.has(name)) throw new Error(`Two @RetentionSweep providers are named '${name}'`);
      names.add(name);
      return { name, sweeper: sweeper as RetentionSweeper };
    });
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort(new Error('shutdown'));
  }

  /** The names of the discovered sweeps, in the order they run. */
  get names(): string[] {
    return this.sweeps.map((sweep) => sweep.name);
  }

  async runAll(now = new Date()): Promise<RetentionRunResult> {
    const result: RetentionRunResult = {};
    const signal = this.shutdown.signal;
    let failed = 0;
    for (const { name, sweeper } of this.sweeps) {
      if (signal.aborted) {
        result[name] = { skipped: 'shutdown' };
        continue;
      }
      const startedAt = performance.now();
      try {
        const counts = await sweeper.sweep({
          now,
          batchSize: this.config.batchSize,
          signal,
          inBatches: (statement) => deleteInBatches(statement, this.config.batchSize, signal),
        });
        result[name] = counts;
        this.logger.log(
          { sweep: name, counts, durationMs: Math.round(performance.now() - startedAt) },
          'Retention sweep done',
        );
      } catch (error) {
        if (signal.aborted) {
          result[name] = { skipped: 'shutdown' };
          this.logger.log({ sweep: name }, 'Retention sweep stopped by shutdown; the next run goes on');
          continue;
        }
        failed++;
        result[name] = { failed: true };
        this.logger.warn({ err: error, sweep: name }, 'Retention sweep failed; the next run tries again');
      }
    }
    if (failed > 0) throw new Error(`${failed} retention sweep(s) failed: ${JSON.stringify(result)}`);
    return result;
  }
}
