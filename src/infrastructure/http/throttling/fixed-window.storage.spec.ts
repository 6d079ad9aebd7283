import { jest } from '@jest/globals';
import { throttlerStorageContract } from '../../../../test/throttling/throttler-storage.contract.js';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';

describe('FixedWindowThrottlerStorage', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  describe('fixed-window semantics', () => {
    throttlerStorageContract({
      create: () => new FixedWindowThrottlerStorage(),
      advance: async (ms) => void jest.advanceTimersByTime(ms),
    });
  });

  it('keeps one record per client however many hits it makes', async () => {
    const storage = new FixedWindowThrottlerStorage();
    for (let i = 0; i < 10_000; i++) await storage.increment('busy-client', 60_000, 1_000_000, 60_000);

    expect(storage.size).toBe(1);
    expect((await storage.increment('busy-client', 60_000, 1_000_000, 60_000)).totalHits).toBe(10_001);
  });

  it('sweeps windows that are over, and keeps running ones and blocked clients', async () => {
    const storage = new FixedWindowThrottlerStorage();
    storage.onModuleInit();
    await storage.increment('short', 1_000, 10, 1_000);
    await storage.increment('long', 10 * 60_000, 10, 1_000);
    await storage.increment('blocked', 1_000, 0, 10 * 60_000);

    jest.advanceTimersByTime(60_000);

    expect(storage.size).toBe(2);
    expect((await storage.increment('long', 10 * 60_000, 10, 1_000)).totalHits).toBe(2);
    expect((await storage.increment('blocked', 1_000, 0, 10 * 60_000)).isBlocked).toBe(true);
    storage.onModuleDestroy();
  });

  it('runs its sweeper only between module init and destroy', () => {
    const storage = new FixedWindowThrottlerStorage();
    const before = jest.getTimerCount();

    storage.onModuleInit();
    storage.onModuleInit();
    expect(jest.getTimerCount()).toBe(before + 1);

    storage.onModuleDestroy();
    expect(jest.getTimerCount()).toBe(before);
  });
});
