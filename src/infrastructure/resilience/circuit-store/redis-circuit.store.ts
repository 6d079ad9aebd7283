import type { Redis } from 'ioredis';
import {
  type CircuitPermit,
  type CircuitSettings,
  type CircuitStateName,
  CircuitStore,
  type FailureOutcome,
  refusal,
  stateOf,
} from './circuit-store.js';

/** A circuit untouched this long is forgotten (its failures are stale news). */
const IDLE_TTL_MS = 24 * 60 * 60 * 1000;

/** Answers { kind, openedUntil, trialUntil } (false for a field not set). */
const ACQUIRE = `
local opened = redis.call('HGET', KEYS[1], 'openedUntil')
if not opened then return { 'closed', false, false } end
local now = tonumber(ARGV[1])
if now < tonumber(opened) then return { 'open', opened, false } end
local trial = redis.call('HGET', KEYS[1], 'trialUntil')
if trial and now < tonumber(trial) then return { 'open', opened, trial } end
redis.call('HSET', KEYS[1], 'trialUntil', ARGV[2])
return { 'trial', false, false }`;

const SUCCESS = `
if ARGV[1] == '1' or redis.call('HEXISTS', KEYS[1], 'openedUntil') == 0 then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[2])
end
return 0`;

const FAILURE = `
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local opened = 0
if ARGV[2] == '1' or (redis.call('HEXISTS', KEYS[1], 'openedUntil') == 0 and failures >= tonumber(ARGV[3])) then
  redis.call('HSET', KEYS[1], 'openedUntil', ARGV[1])
  redis.call('HDEL', KEYS[1], 'trialUntil')
  redis.call('SADD', KEYS[2], ARGV[4])
  opened = 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {opened, failures}`;

/**
 * Circuits in Redis (when REDIS_URL is set): one hash per circuit, changed only by Lua
 * scripts so that each step is atomic across processes, and a set naming the open ones for
 * readiness.
 */
export class RedisCircuitStore extends CircuitStore {
  private readonly openSet: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
    this.openSet = `${prefix}:circuits:open`;
  }

  async acquire(key: string, now: number, settings: CircuitSettings): Promise<CircuitPermit> {
    const [kind, openedUntil, trialUntil] = (await this.redis.eval(
      ACQUIRE,
      1,
      this.hash(key),
      now,
      now + settings.trialLeaseMs,
    )) as [CircuitPermit['kind'], string | null, string | null];
    if (kind !== 'open') return { kind };
    return refusal(
      { openedUntil: Number(openedUntil), trialUntil: trialUntil === null ? null : Number(trialUntil) },
      now,
    );
  }

  async recordSuccess(key: string, trial: boolean): Promise<void> {
    await this.redis.eval(SUCCESS, 2, this.hash(key), this.openSet, trial ? '1' : '0', key);
  }

  async recordFailure(key: string, trial: boolean, now: number, settings: CircuitSettings): Promise<FailureOutcome> {
    const [opened, failures] = (await this.redis.eval(
      FAILURE,
      2,
      this.hash(key),
      this.openSet,
      now + settings.cooldownMs,
      trial ? '1' : '0',
      settings.threshold,
      key,
      IDLE_TTL_MS,
    )) as [number, number];
    return { opened: opened === 1, failures };
  }

  async releaseTrial(key: string): Promise<void> {
    await this.redis.hdel(this.hash(key), 'trialUntil');
  }

  async openCircuits(now: number): Promise<Record<string, CircuitStateName>> {
    const keys = await this.redis.smembers(this.openSet);
    const open: Record<string, CircuitStateName> = {};
    const gone: string[] = [];
    for (const key of keys.slice(0, 1000)) {
      const [failures, openedUntil, trialUntil] = await this.redis.hmget(
        this.hash(key),
        'failures',
        'openedUntil',
        'trialUntil',
      );
      const state = stateOf(
        {
          failures: Number(failures ?? 0),
          openedUntil: openedUntil === null ? null : Number(openedUntil),
          trialUntil: trialUntil === null ? null : Number(trialUntil),
        },
        now,
      );
      if (state === 'closed') gone.push(key);
      else open[key] = state;
    }
    if (gone.length > 0) await this.redis.srem(this.openSet, ...gone);
    return open;
  }

  private hash(key: string): string {
    return `${this.prefix}:circuit:${key}`;
  }
}
