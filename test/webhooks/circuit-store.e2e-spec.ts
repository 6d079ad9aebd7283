import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { CircuitSettings, CircuitStore } from '../../src/infrastructure/resilience/circuit-store/circuit-store.js';
import { MemoryCircuitStore } from '../../src/infrastructure/resilience/circuit-store/memory-circuit.store.js';
import { PostgresCircuitStore } from '../../src/infrastructure/resilience/circuit-store/postgres-circuit.store.js';
import { RedisCircuitStore } from '../../src/infrastructure/resilience/circuit-store/redis-circuit.store.js';
import { describeWithRedis, testRedisUrl } from '../helpers/redis.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const SETTINGS: CircuitSettings = { threshold: 3, cooldownMs: 1000, trialLeaseMs: 500 };
const T0 = 1_800_000_000_000;

/** What every circuit store must do, whoever calls it from whichever process. */
function circuitStoreContract(makeStore: () => CircuitStore) {
  let store: CircuitStore;
  let key: string;

  beforeEach(() => {
    store = makeStore();
    key = `test:${randomBytes(6).toString('hex')}`;
  });

  /** This test's circuit as readiness lists it (other tests' circuits share the store). */
  const listed = async (now: number) => (await store.openCircuits(now))[key];

  const fail = (times: number, now = T0) =>
    Promise.all(Array.from({ length: times }, () => store.recordFailure(key, false, now, SETTINGS)));

  it('stays closed below the threshold and opens on the threshold-th failure, reported once', async () => {
    expect(await store.acquire(key, T0, SETTINGS)).toEqual({ kind: 'closed' });
    const outcomes = await fail(SETTINGS.threshold);

    expect(outcomes.filter((outcome) => outcome.opened)).toHaveLength(1);
    // A refused caller learns how much of the cool-down is left: when asking again makes sense.
    expect(await store.acquire(key, T0, SETTINGS)).toEqual({ kind: 'open', retryInMs: SETTINGS.cooldownMs });
    expect(await store.acquire(key, T0 + SETTINGS.cooldownMs - 1, SETTINGS)).toEqual({ kind: 'open', retryInMs: 1 });
    expect(await listed(T0)).toBe('open');
  });

  it('a success in between starts the count again', async () => {
    await fail(SETTINGS.threshold - 1);
    await store.recordSuccess(key, false);
    await fail(SETTINGS.threshold - 1);

    expect(await store.acquire(key, T0, SETTINGS)).toEqual({ kind: 'closed' });
    expect(await listed(T0)).toBeUndefined();
  });

  it('after the cool-down lets exactly one of many concurrent callers through as the trial', async () => {
    await fail(SETTINGS.threshold);
    const after = T0 + SETTINGS.cooldownMs;

    const permits = await Promise.all(Array.from({ length: 10 }, () => store.acquire(key, after, SETTINGS)));

    expect(permits.filter((permit) => permit.kind === 'trial')).toHaveLength(1);
    // The others come back once the trial has had its time (its lease, 500 ms here).
    expect(permits.filter((permit) => permit.kind === 'open')).toEqual(
      Array.from({ length: 9 }, () => ({ kind: 'open', retryInMs: SETTINGS.trialLeaseMs })),
    );
    expect(await listed(after)).toBe('half-open');
  });

  it('a failed trial re-opens for a full cool-down; a good one closes', async () => {
    await fail(SETTINGS.threshold);
    const after = T0 + SETTINGS.cooldownMs;
    expect(await store.acquire(key, after, SETTINGS)).toEqual({ kind: 'trial' });
    expect(await store.recordFailure(key, true, after, SETTINGS)).toMatchObject({ opened: true });
    expect(await store.acquire(key, after + SETTINGS.cooldownMs - 1, SETTINGS)).toEqual({ kind: 'open', retryInMs: 1 });

    const later = after + SETTINGS.cooldownMs;
    expect(await store.acquire(key, later, SETTINGS)).toEqual({ kind: 'trial' });
    await store.recordSuccess(key, true);
    expect(await store.acquire(key, later, SETTINGS)).toEqual({ kind: 'closed' });
    expect(await listed(later)).toBeUndefined();
  });

  it('a released or expired trial lets the next caller try', async () => {
    await fail(SETTINGS.threshold);
    const after = T0 + SETTINGS.cooldownMs;
    expect(await store.acquire(key, after, SETTINGS)).toEqual({ kind: 'trial' });
    await store.releaseTrial(key);
    expect(await store.acquire(key, after, SETTINGS)).toEqual({ kind: 'trial' });
    // Its process died: the lease runs out.
    expect(await store.acquire(key, after + SETTINGS.trialLeaseMs - 1, SETTINGS)).toEqual({
      kind: 'open',
      retryInMs: 1,
    });
    expect(await store.acquire(key, after + SETTINGS.trialLeaseMs, SETTINGS)).toEqual({ kind: 'trial' });
  });
}

describe('MemoryCircuitStore', () => {
  circuitStoreContract(() => new MemoryCircuitStore());
});

describe('PostgresCircuitStore (circuit_breakers)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  circuitStoreContract(() => new PostgresCircuitStore(t.app.get(DataSource)));
});

describeWithRedis('RedisCircuitStore', () => {
  let redis: Redis;
  const prefix = `circuit_test_${randomBytes(4).toString('hex')}`;
  beforeAll(() => {
    redis = new Redis(testRedisUrl!);
  });
  afterAll(() => redis?.quit());

  circuitStoreContract(() => new RedisCircuitStore(redis, prefix));
});
