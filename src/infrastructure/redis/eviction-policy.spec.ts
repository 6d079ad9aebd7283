import type { Redis } from 'ioredis';
import { checkEvictionPolicy } from './eviction-policy.js';

/** Just enough of a client to answer CONFIG GET the way a server would. */
const serverAnswering = (reply: () => Promise<unknown>) => ({ config: reply }) as unknown as Pick<Redis, 'config'>;

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, warn: (_details: unknown, message: string) => void warnings.push(message) };
}

describe('checkEvictionPolicy', () => {
  it('stays quiet when the server never evicts', async () => {
    const logger = recordingLogger();
    const result = await checkEvictionPolicy(
      serverAnswering(async () => ['maxmemory-policy', 'noeviction']),
      logger,
    );

    expect(result).toBe('noeviction');
    expect(logger.warnings).toEqual([]);
  });

  it('warns, naming the policy, when the server may evict keys', async () => {
    const logger = recordingLogger();
    const result = await checkEvictionPolicy(
      serverAnswering(async () => ['maxmemory-policy', 'allkeys-lru']),
      logger,
    );

    expect(result).toBe('evicts');
    expect(logger.warnings).toEqual([expect.stringMatching(/maxmemory-policy is allkeys-lru.*noeviction/)]);
  });

  it('says the policy could not be checked when CONFIG is not allowed', async () => {
    const logger = recordingLogger();
    const result = await checkEvictionPolicy(
      serverAnswering(async () => {
        throw new Error("NOPERM this user has no permissions to run the 'config|get' command");
      }),
      logger,
    );

    expect(result).toBe('unknown');
    expect(logger.warnings).toEqual([expect.stringMatching(/^Could not check the Redis maxmemory-policy/)]);
  });

  it('says the policy could not be checked when the server does not report it', async () => {
    const logger = recordingLogger();

    expect(
      await checkEvictionPolicy(
        serverAnswering(async () => []),
        logger,
      ),
    ).toBe('unknown');
    expect(logger.warnings).toEqual([expect.stringMatching(/^Could not read the Redis maxmemory-policy/)]);
  });

  it('gives up after the timeout when the server does not answer', async () => {
    const logger = recordingLogger();
    const silent = serverAnswering(() => new Promise(() => undefined));

    expect(await checkEvictionPolicy(silent, logger, 50)).toBe('unknown');
    expect(logger.warnings).toHaveLength(1);
  });
});
