import type { ThrottlerStorage } from '@nestjs/throttler';

export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Both storages count in milliseconds; the guard expects whole seconds (it copies
 * `timeToBlockExpire` into `Retry-After`), rounded up so a client never retries too early.
 */
export function toRecord(hits: number, windowLeftMs: number, blockLeftMs: number): ThrottlerStorageRecord {
  const isBlocked = blockLeftMs > 0;
  return {
    totalHits: hits,
    timeToExpire: Math.max(0, Math.ceil(windowLeftMs / 1000)),
    isBlocked,
    timeToBlockExpire: isBlocked ? Math.ceil(blockLeftMs / 1000) : 0,
  };
}
