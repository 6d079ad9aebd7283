import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from './throttler-record.js';

/** A running window of a key, read without counting a hit. */
export interface WindowCount {
  hits: number;
  /** Milliseconds until the window is over. */
  windowLeftMs: number;
}

/**
 * Where the rate-limit counters live: in memory (per process) or in Redis (shared by every
 * instance). `increment` is @nestjs/throttler's storage contract (fixed window, block once
 * over the limit); `peek` reads a window without counting, for budgets that count only
 * outcomes (failed authentications) but must be checked before the work.
 */
export abstract class RateLimitStorage implements ThrottlerStorage {
  abstract increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord>;

  /** The running window of `key`, or undefined when none is running. */
  abstract peek(key: string): Promise<WindowCount | undefined>;
}
