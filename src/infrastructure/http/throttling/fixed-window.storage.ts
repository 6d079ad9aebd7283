import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RateLimitStorage, type WindowCount } from './rate-limit.storage.js';
import { type ThrottlerStorageRecord, toRecord } from './throttler-record.js';

interface Window {
  hits: number;
  endsAt: number;
  blockedUntil: number;
}

const SWEEP_EVERY_MS = 60_000;

/**
 * In-memory fixed-window counter, the default storage: one small record per client key, so
 * the cost of a hit is constant however many hits the client made (the library's default
 * store keeps every hit's timestamp). A client over the limit is blocked for `blockDuration`
 * and its hits stop counting; the window restarts once both the window and the block are
 * over. Limits hold per process only: with several instances, use the Redis storage.
 */
@Injectable()
export class FixedWindowThrottlerStorage extends RateLimitStorage implements OnModuleInit, OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private sweeper: NodeJS.Timeout | undefined;

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || (window.endsAt <= now && window.blockedUntil <= now)) {
      window = { hits: 0, endsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(key, window);
    }
    if (window.blockedUntil <= now) {
      window.hits += 1;
      if (window.hits > limit) window.blockedUntil = now + blockDuration;
    }
    return toRecord(window.hits, window.endsAt - now, window.blockedUntil - now);
  }

  async peek(key: string): Promise<WindowCount | undefined> {
    const now = Date.now();
    const window = this.windows.get(key);
    if (!window || window.endsAt <= now) return undefined;
    return { hits: window.hits, windowLeftMs: window.endsAt - now };
  }

  /** How many client keys are tracked (expired ones linger until the next sweep). */
  get size(): number {
    return this.windows.size;
  }

  onModuleInit(): void {
    // unref: a pending sweep must never keep a finished process alive.
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private sweep(now = Date.now()): void {
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now && window.blockedUntil <= now) this.windows.delete(key);
    }
  }
}
