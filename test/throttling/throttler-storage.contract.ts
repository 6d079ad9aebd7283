import type { RateLimitStorage } from '../../src/infrastructure/http/throttling/rate-limit.storage.js';

export interface StorageUnderTest {
  /** A storage with no hits recorded for any key the tests use. */
  create(): RateLimitStorage | Promise<RateLimitStorage>;
  /** Lets at least `ms` milliseconds pass for the storage (real sleep or fake clock). */
  advance(ms: number): Promise<void>;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * The semantics both throttler storages share: a fixed window per key, a block once the
 * limit is exceeded during which hits do not count, and a fresh window once both are over.
 * Long windows and blocks stand for "still running" (no upper bound on elapsed time is
 * assumed), short ones for "over" (checked only after waiting at least that long).
 */
export function throttlerStorageContract(subject: StorageUnderTest): void {
  let storage: RateLimitStorage;
  let key: string;
  let n = 0;

  beforeEach(async () => {
    storage = await subject.create();
    key = `client-${++n}-${Date.now()}`;
  });

  const hit = (ttl: number, limit: number, block: number, k = key) => storage.increment(k, ttl, limit, block);

  it('counts hits within a window and reports the time left in whole seconds', async () => {
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await hit(MINUTE, 3, MINUTE));

    expect(results.map((r) => r.totalHits)).toEqual([1, 2, 3]);
    for (const result of results) {
      expect(result.isBlocked).toBe(false);
      expect(result.timeToBlockExpire).toBe(0);
      expect(result.timeToExpire).toBeGreaterThanOrEqual(1);
      expect(result.timeToExpire).toBeLessThanOrEqual(60);
    }
  });

  it('blocks the hit over the limit for the block duration, in whole seconds', async () => {
    for (let i = 0; i < 3; i++) await hit(MINUTE, 3, 30 * SECOND);
    const over = await hit(MINUTE, 3, 30 * SECOND);

    expect(over).toMatchObject({ totalHits: 4, isBlocked: true });
    expect(over.timeToBlockExpire).toBeGreaterThanOrEqual(1);
    expect(over.timeToBlockExpire).toBeLessThanOrEqual(30);
  });

  it('does not count hits while blocked', async () => {
    for (let i = 0; i < 2; i++) await hit(MINUTE, 1, MINUTE);
    const blocked = [await hit(MINUTE, 1, MINUTE), await hit(MINUTE, 1, MINUTE)];

    expect(blocked.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [2, true],
      [2, true],
    ]);
  });

  it('keeps each key in its own window', async () => {
    for (let i = 0; i < 2; i++) await hit(MINUTE, 1, MINUTE);
    const other = await hit(MINUTE, 1, MINUTE, `${key}-other`);

    expect(other).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a new window once the window is over', async () => {
    await hit(200, 5, MINUTE);
    await hit(200, 5, MINUTE);
    await subject.advance(300);

    expect(await hit(200, 5, MINUTE)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('stays blocked after the window is over while the block lasts', async () => {
    await hit(200, 1, MINUTE);
    await hit(200, 1, MINUTE);
    await subject.advance(300);

    expect(await hit(200, 1, MINUTE)).toMatchObject({ isBlocked: true, totalHits: 2, timeToExpire: 0 });
  });

  it('starts a new window once both the window and the block are over', async () => {
    await hit(200, 1, 300);
    expect(await hit(200, 1, 300)).toMatchObject({ isBlocked: true });
    await subject.advance(400);

    expect(await hit(200, 1, 300)).toMatchObject({ totalHits: 1, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('re-blocks at once when the block ends inside a window that is still over the limit', async () => {
    await hit(MINUTE, 1, 200);
    expect(await hit(MINUTE, 1, 200)).toMatchObject({ isBlocked: true, totalHits: 2 });
    await subject.advance(300);

    expect(await hit(MINUTE, 1, 200)).toMatchObject({ isBlocked: true, totalHits: 3 });
  });

  it('peeks at a running window without counting a hit', async () => {
    expect(await storage.peek(key)).toBeUndefined();
    await hit(MINUTE, 10, MINUTE);
    await hit(MINUTE, 10, MINUTE);

    const window = await storage.peek(key);
    expect(window?.hits).toBe(2);
    expect(window?.windowLeftMs).toBeGreaterThan(0);
    expect(window?.windowLeftMs).toBeLessThanOrEqual(MINUTE);
    expect(await storage.peek(key)).toMatchObject({ hits: 2 });
    expect((await hit(MINUTE, 10, MINUTE)).totalHits).toBe(3);
  });

  it('peeks at nothing once the window is over', async () => {
    await hit(200, 10, MINUTE);
    await subject.advance(300);

    expect(await storage.peek(key)).toBeUndefined();
  });

  it('with a zero block duration, counts past the limit without ever blocking (outcome counters)', async () => {
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await hit(MINUTE, 1, 0));

    expect(results.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
  });
}
