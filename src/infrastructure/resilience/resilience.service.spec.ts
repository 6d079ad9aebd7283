import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { CallTimeoutError, CircuitOpenError, TransientError } from './resilience.errors.js';
import { ResilienceService } from './resilience.service.js';

const TIMEOUT_MS = 1000;
const THRESHOLD = 3;
const COOLDOWN_MS = 5000;

function makeService(): ResilienceService {
  return new ResilienceService({
    retry: { baseDelayMs: 100, maxDelayMs: 10_000 },
    timeoutMs: TIMEOUT_MS,
    breaker: { threshold: THRESHOLD, cooldownMs: COOLDOWN_MS },
  });
}

const boom = () => Promise.reject(new Error('boom'));
const ok = async () => 'ok';
const never = () => new Promise<never>(() => undefined);
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }),
  );

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Settles to the error (or 'resolved'), so a pending call can be inspected without an unhandled rejection. */
const outcomeOf = (call: Promise<unknown>) =>
  call.then(
    () => 'resolved' as const,
    (error: unknown) => error,
  );

async function openCircuit(service: ResilienceService, key: string): Promise<void> {
  for (let i = 0; i < THRESHOLD; i++) await expect(service.execute(key, boom)).rejects.toThrow('boom');
}

describe('ResilienceService', () => {
  let warn: jest.SpiedFunction<Logger['warn']>;
  let log: jest.SpiedFunction<Logger['log']>;

  beforeEach(() => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  describe('time limit', () => {
    it('rejects a call slower than timeoutMs with CallTimeoutError, and aborts the signal it was given', async () => {
      const service = makeService();
      let seen: AbortSignal | undefined;
      const outcome = outcomeOf(service.execute('slow', (signal) => ((seen = signal), never())));
      let settled = false;
      void outcome.then(() => (settled = true));

      await jest.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
      expect(settled).toBe(false);
      expect(seen?.aborted).toBe(false);

      await jest.advanceTimersByTimeAsync(1);
      const error = await outcome;
      expect(error).toBeInstanceOf(CallTimeoutError);
      expect(error).toBeInstanceOf(TransientError);
      expect(error).toMatchObject({ code: 'RESILIENCE.TIMEOUT', message: expect.stringContaining('slow') });
      expect(seen?.aborted).toBe(true);
    });

    it('uses the per-call timeoutMs when given', async () => {
      const service = makeService();
      const outcome = outcomeOf(service.execute('slow', never, { timeoutMs: 50 }));

      await jest.advanceTimersByTimeAsync(50);

      expect(await outcome).toMatchObject({ code: 'RESILIENCE.TIMEOUT' });
    });

    it('counts timeouts as failures of the target', async () => {
      const service = makeService();
      for (let i = 0; i < THRESHOLD; i++) {
        const outcome = outcomeOf(service.execute('slow', never));
        await jest.advanceTimersByTimeAsync(TIMEOUT_MS);
        await outcome;
      }

      expect(service.circuitState('slow')).toBe('open');
    });
  });

  describe('circuit breaker', () => {
    it('stays closed below the threshold, then opens and fails fast without invoking the call', async () => {
      const service = makeService();
      for (let i = 0; i < THRESHOLD - 1; i++) await expect(service.execute('a', boom)).rejects.toThrow('boom');
      expect(service.circuitState('a')).toBe('closed');
      await expect(service.execute('a', boom)).rejects.toThrow('boom');

      const call = jest.fn(async () => 'ok');
      const attempt = service.execute('a', call);

      await expect(attempt).rejects.toBeInstanceOf(CircuitOpenError);
      await expect(attempt).rejects.toBeInstanceOf(TransientError);
      await expect(attempt).rejects.toMatchObject({ code: 'RESILIENCE.CIRCUIT_OPEN', key: 'a' });
      expect(call).not.toHaveBeenCalled();
      expect(service.circuitState('a')).toBe('open');
      expect(await service.openCircuits()).toEqual({ a: 'open' });
    });

    it('lets one trial call through after the cool-down; its success closes the circuit', async () => {
      const service = makeService();
      await openCircuit(service, 'a');
      const call = jest.fn(async () => 'ok');
      jest.advanceTimersByTime(COOLDOWN_MS - 1);
      await expect(service.execute('a', call)).rejects.toBeInstanceOf(CircuitOpenError);
      expect(call).not.toHaveBeenCalled();

      jest.advanceTimersByTime(1);
      const trial = deferred<string>();
      const pending = service.execute('a', () => trial.promise);
      expect(service.circuitState('a')).toBe('half-open');
      expect(await service.openCircuits()).toEqual({ a: 'half-open' });
      trial.resolve('recovered');

      await expect(pending).resolves.toBe('recovered');
      expect(service.circuitState('a')).toBe('closed');
      expect(await service.openCircuits()).toEqual({});
      await expect(service.execute('a', call)).resolves.toBe('ok');
    });

    it('re-opens when the trial call fails, for another full cool-down', async () => {
      const service = makeService();
      await openCircuit(service, 'a');
      jest.advanceTimersByTime(COOLDOWN_MS);

      await expect(service.execute('a', boom)).rejects.toThrow('boom');

      expect(service.circuitState('a')).toBe('open');
      const call = jest.fn(async () => 'ok');
      jest.advanceTimersByTime(COOLDOWN_MS - 1);
      await expect(service.execute('a', call)).rejects.toBeInstanceOf(CircuitOpenError);
      jest.advanceTimersByTime(1);
      await expect(service.execute('a', call)).resolves.toBe('ok');
      expect(call).toHaveBeenCalledTimes(1);
    });

    it('counts only consecutive failures: a success in between starts the count again', async () => {
      const service = makeService();
      for (let i = 0; i < THRESHOLD - 1; i++) await expect(service.execute('a', boom)).rejects.toThrow('boom');
      await service.execute('a', ok);
      for (let i = 0; i < THRESHOLD - 1; i++) await expect(service.execute('a', boom)).rejects.toThrow('boom');

      expect(service.circuitState('a')).toBe('closed');
      await expect(service.execute('a', ok)).resolves.toBe('ok');
    });

    it('keeps one breaker per key', async () => {
      const service = makeService();
      await openCircuit(service, 'a');

      await expect(service.execute('b', async () => 'ok')).resolves.toBe('ok');
      expect(service.circuitState('b')).toBe('closed');
      expect(service.circuitState('never-called')).toBe('closed');
      expect(await service.openCircuits()).toEqual({ a: 'open' });
    });

    it('guards a call with several keys: every failure counts for each, and any open one refuses', async () => {
      const service = makeService();
      for (let i = 0; i < THRESHOLD; i++) {
        await expect(service.execute(['endpoint-1', 'address-x'], boom)).rejects.toThrow('boom');
      }
      expect(await service.openCircuits()).toEqual({ 'endpoint-1': 'open', 'address-x': 'open' });

      const call = jest.fn(async () => 'ok');
      // Another endpoint, same address: refused by the address circuit.
      await expect(service.execute(['endpoint-2', 'address-x'], call)).rejects.toMatchObject({ key: 'address-x' });
      expect(call).not.toHaveBeenCalled();
      expect(service.circuitState('endpoint-2')).toBe('closed');
    });

    it('never forgets an open circuit to make room for new keys', async () => {
      const service = makeService();
      await openCircuit(service, 'down');
      for (let i = 0; i < 1001; i++) await service.execute(`host-${i}`, async () => i);

      expect(service.circuitState('down')).toBe('open');
    });

    it('rejects a call aborted by the caller without counting it against the target', async () => {
      const service = makeService();
      for (let i = 0; i < THRESHOLD; i++) {
        const caller = new AbortController();
        let seen: AbortSignal | undefined;
        const outcome = outcomeOf(
          service.execute('a', (signal) => ((seen = signal), untilAborted(signal)), { signal: caller.signal }),
        );
        caller.abort(new Error('task cancelled'));

        const error = await outcome;
        expect(error).toMatchObject({ name: 'AbortError' });
        expect(error).not.toBeInstanceOf(CallTimeoutError);
        expect(seen?.aborted).toBe(true);
      }

      expect(service.circuitState('a')).toBe('closed');
      await expect(service.execute('a', async () => 'ok')).resolves.toBe('ok');
    });

    it('does not count a caller abort even when the call ignores its signal', async () => {
      const service = makeService();
      for (let i = 0; i < THRESHOLD; i++) {
        const caller = new AbortController();
        const outcome = outcomeOf(service.execute('a', never, { signal: caller.signal }));
        caller.abort('shutdown');
        expect(await outcome).toMatchObject({ name: 'AbortError' });
      }

      expect(service.circuitState('a')).toBe('closed');
    });

    it('logs each state change of a circuit', async () => {
      const service = makeService();
      await openCircuit(service, 'smtp');

      expect(warn).toHaveBeenCalledWith(
        { circuit: 'smtp', state: 'open', cooldownMs: COOLDOWN_MS },
        `Circuit smtp opened after ${THRESHOLD} consecutive failures`,
      );

      jest.advanceTimersByTime(COOLDOWN_MS);
      await service.execute('smtp', async () => 'ok');

      expect(log).toHaveBeenCalledWith({ circuit: 'smtp', state: 'half-open' }, 'Circuit smtp is half-open');
      expect(log).toHaveBeenCalledWith({ circuit: 'smtp', state: 'closed' }, 'Circuit smtp is closed');
      expect(warn).toHaveBeenCalledTimes(1);
    });
  });
});
