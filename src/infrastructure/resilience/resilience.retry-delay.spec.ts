import { RETRY_AFTER_CAP_MS } from './backoff.js';
import { PermanentError, TransientError } from './resilience.errors.js';
import { ResilienceService } from './resilience.service.js';

const BASE_MS = 100;
const MAX_MS = 10_000;

const service = new ResilienceService({
  retry: { baseDelayMs: BASE_MS, maxDelayMs: MAX_MS },
  timeoutMs: 1000,
  breaker: { threshold: 3, cooldownMs: 5000 },
});

const ceilingOf = (retry: number, base = BASE_MS, max = MAX_MS) => Math.min(max, base * 2 ** (retry - 1));

describe('ResilienceService.retryDelay', () => {
  it('grows with each retry, each delay between half and all of its doubled ceiling', () => {
    // Jitter is random: many sequences make a broken bound show up, and the bounds hold for every draw.
    for (let run = 0; run < 200; run++) {
      let previous = 0;
      for (let retry = 1; retry <= 6; retry++) {
        const delay = service.retryDelay(retry);
        const ceiling = ceilingOf(retry);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(delay).toBeGreaterThanOrEqual(previous);
        previous = delay;
      }
    }
  });

  it('never waits longer than maxDelayMs however many retries came before', () => {
    for (let run = 0; run < 50; run++) {
      const delay = service.retryDelay(40);
      expect(delay).toBeGreaterThanOrEqual(MAX_MS / 2);
      expect(delay).toBeLessThanOrEqual(MAX_MS);
    }
  });

  it("honours a TransientError's Retry-After as a floor", () => {
    const delay = service.retryDelay(1, new TransientError('slow down', 'HTTP_429', 7000));

    expect(delay).toBe(7000);
  });

  it('keeps its own delay when it is longer than the Retry-After', () => {
    const delay = service.retryDelay(6, new TransientError('slow down', 'HTTP_429', 1));

    expect(delay).toBeGreaterThanOrEqual(ceilingOf(6) / 2);
  });

  it('caps a Retry-After at RETRY_AFTER_CAP_MS', () => {
    const delay = service.retryDelay(1, new TransientError('come back tomorrow', 'HTTP_503', 24 * 3600 * 1000));

    expect(delay).toBe(RETRY_AFTER_CAP_MS);
  });

  it('ignores a retryAfterMs on anything but a TransientError', () => {
    const lookalike = Object.assign(new PermanentError('no', 'X'), { retryAfterMs: 7000 });

    expect(service.retryDelay(1, lookalike)).toBeLessThanOrEqual(BASE_MS);
    expect(service.retryDelay(1, { retryAfterMs: 7000 })).toBeLessThanOrEqual(BASE_MS);
  });

  it("applies a type's policy over the configured one, field by field", () => {
    for (let run = 0; run < 50; run++) {
      const slowStart = service.retryDelay(1, undefined, { baseDelayMs: 4000 });
      expect(slowStart).toBeGreaterThanOrEqual(2000);
      expect(slowStart).toBeLessThanOrEqual(4000);

      const lowCap = service.retryDelay(6, undefined, { maxDelayMs: 300 });
      expect(lowCap).toBeGreaterThanOrEqual(150);
      expect(lowCap).toBeLessThanOrEqual(300);

      const both = service.retryDelay(3, undefined, { baseDelayMs: 1000, maxDelayMs: 2000 });
      expect(both).toBeGreaterThanOrEqual(1000);
      expect(both).toBeLessThanOrEqual(2000);
    }
  });
});
