import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DiscoveryService } from '@nestjs/core';
import { RetentionSweep, type RetentionSweeper, type SweepContext } from './retention-sweep.js';
import { RetentionRunner } from './retention.runner.js';

/** A DiscoveryService that knows only the given sweeps, by name. */
function discoveryOf(sweeps: Record<string, RetentionSweeper>): DiscoveryService {
  const wrappers = Object.entries(sweeps).map(([name, instance]) => ({ name, instance, metadata: { name } }));
  return {
    getProviders: () => wrappers,
    getMetadataByDecorator: (_decorator: typeof RetentionSweep, wrapper: { metadata: { name: string } }) =>
      wrapper.metadata,
  } as unknown as DiscoveryService;
}

function runnerOf(sweeps: Record<string, RetentionSweeper>, batchSize = 3): RetentionRunner {
  const runner = new RetentionRunner(discoveryOf(sweeps), { batchSize, intervalMs: 60_000 });
  runner.onModuleInit();
  return runner;
}

/** A table of `rows` rows, deleted `limit` at a time; records each statement's count. */
function tableSweep(rows: number): RetentionSweeper & { batches: number[] } {
  let left = rows;
  const batches: number[] = [];
  return {
    batches,
    async sweep({ inBatches }: SweepContext) {
      const rowsDeleted = await inBatches(async (limit) => {
        const deleted = Math.min(limit, left);
        left -= deleted;
        batches.push(deleted);
        return deleted;
      });
      return { rows: rowsDeleted };
    },
  };
}

describe('RetentionRunner', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('runs each sweep in batches of the configured size until a batch comes back short', async () => {
    const seven = tableSweep(7);
    const six = tableSweep(6);
    const result = await runnerOf({ seven, six }).runAll();

    expect(result).toEqual({ seven: { rows: 7 }, six: { rows: 6 } });
    expect(seven.batches).toEqual([3, 3, 1]);
    // A full last batch cannot tell that nothing is left: one more statement finds none.
    expect(six.batches).toEqual([3, 3, 0]);
  });

  it('runs the other sweeps when one fails, then fails the run', async () => {
    const after = tableSweep(2);
    const runner = runnerOf({
      broken: { sweep: () => Promise.reject(new Error('relation "gone" does not exist')) },
      after,
    });

    await expect(runner.runAll()).rejects.toThrow(/1 retention sweep\(s\) failed/);
    expect(after.batches).toEqual([2]);
  });

  it('stops between batches at shutdown and skips the sweeps not reached', async () => {
    let runner!: RetentionRunner;
    let statements = 0;
    const endless: RetentionSweeper = {
      sweep: async ({ inBatches }) => ({
        rows: await inBatches(async (limit) => {
          if (++statements === 2) runner.beforeApplicationShutdown();
          return limit;
        }),
      }),
    };
    const later = tableSweep(5);
    runner = runnerOf({ endless, later });

    expect(await runner.runAll()).toEqual({ endless: { skipped: 'shutdown' }, later: { skipped: 'shutdown' } });
    expect(statements).toBe(2);
    expect(later.batches).toEqual([]);
  });

  it('refuses two sweeps of one name and a sweep without sweep()', () => {
    const discovery = {
      getProviders: () => [
        { name: 'A', instance: tableSweep(0), metadata: { name: 'same' } },
        { name: 'B', instance: tableSweep(0), metadata: { name: 'same' } },
      ],
      getMetadataByDecorator: (_d: unknown, wrapper: { metadata: { name: string } }) => wrapper.metadata,
    } as unknown as DiscoveryService;
    expect(() => new RetentionRunner(discovery, { batchSize: 1, intervalMs: 1000 }).onModuleInit()).toThrow(
      "Two @RetentionSweep providers are named 'same'",
    );
    expect(() => runnerOf({ odd: {} as RetentionSweeper })).toThrow(
      "@RetentionSweep 'odd' (odd) has no sweep() method",
    );
  });
});
