import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { withDeadline } from '../../resilience/dependency-unavailable.js';
import { RateLimitStorage, type WindowCount } from './rate-limit.storage.js';
import { type ThrottlerStorageRecord, toRecord } from './throttler-record.js';

/**
 * One round trip, atomic: concurrent requests from several instances can never both read
 * the same count. KEYS[1] counts the current window's hits and expires with the window;
 * KEYS[2] exists while the client is blocked and holds the count that got it blocked (the
 * counter may expire first). ARGV: window ms, limit, block ms. Returns
 * { hits, window ms left, block ms left }.
 */
const SCRIPT = `
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return { tonumber(redis.call('GET', KEYS[2])), redis.call('PTTL', KEYS[1]), blockLeft }
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local windowLeft = redis.call('PTTL', KEYS[1])
local blockMs = tonumber(ARGV[3])
if hits > tonumber(ARGV[2]) and blockMs > 0 then
  redis.call('SET', KEYS[2], hits, 'PX', blockMs)
  return { hits, windowLeft, blockMs }
end
return { hits, windowLeft, 0 }
`;
const SCRIPT_SHA = createHash('sha1').update(SCRIPT).digest('hex');

/**
 * The fixed-window storage in Redis, so a limit holds across every instance that shares the
 * server. Same semantics and the same constant cost per hit as `FixedWindowThrottlerStorage`.
 *
 * Fails closed, fast: a call that Redis does not answer within `timeoutMs` (Redis down,
 * restarting, unreachable), or that ioredis gives up on, rejects with
 * `DependencyUnavailableError`, so the request gets 503 with `Retry-After`, never a 500 and
 * never a wait as long as the outage. Not fail-open: the limits are a security control (the
 * auth budgets stop password guessing), and an API that drops them while Redis is away
 * invites exactly the traffic they exist for. Not a per-process fallback either: every
 * replica would grant a full budget of its own. Readiness reports the outage meanwhile.
 */
export class RedisFixedWindowThrottlerStorage extends RateLimitStorage {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly timeoutMs = 1000,
  ) {
    super();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const base = this.base(key);
    const [hits, windowLeftMs, blockLeftMs] = await this.bounded(
      this.run([`${base}:hits`, `${base}:blocked`], [ttl, limit, blockDuration]),
    );
    return toRecord(hits, windowLeftMs, blockLeftMs);
  }

  async peek(key: string): Promise<WindowCount | undefined> {
    const hitsKey = `${this.base(key)}:hits`;
    // One round trip (MULTI): the count and the time left of the same window.
    const replies = (await this.bounded(this.redis.multi().get(hitsKey).pttl(hitsKey).exec())) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0];
    const [[, hits], [, windowLeftMs]] = replies as [[null, string | null], [null, number]];
    if (hits === null || windowLeftMs <= 0) return undefined;
    return { hits: Number(hits), windowLeftMs };
  }

  private bounded<T>(call: Promise<T>): Promise<T> {
    return withDeadline(call, this.timeoutMs, 'rate-limit store');
  }

  /** The hash tag keeps a key's counters in one cluster slot, which a multi-key script requires. */
  private base(key: string): string {
    return `${this.keyPrefix}:{${key}}`;
  }

  private async run(keys: string[], args: number[]): Promise<[number, number, number]> {
    try {
      return (await this.redis.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args)) as [number, number, number];
    } catch (error) {
      // First use on this server (or after SCRIPT FLUSH / a restart): load it by sending it once.
      if (!(error as Error).message.startsWith('NOSCRIPT')) throw error;
      return (await this.redis.eval(SCRIPT, keys.length, ...keys, ...args)) as [number, number, number];
    }
  }
}
