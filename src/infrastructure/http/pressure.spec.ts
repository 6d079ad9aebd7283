import { pressureState } from './pressure.js';

const limits = { maxEventLoopDelayMs: 1000, maxHeapUsedBytes: 500, maxRssBytes: 0, retryAfterS: 10 };
const usage = { eventLoopDelay: 5, heapUsed: 100, rssBytes: 10_000, eventLoopUtilized: 0 };

describe('pressureState', () => {
  it('is under pressure past the event-loop delay or the heap limit', () => {
    expect(pressureState({ ...usage, eventLoopDelay: 1001 }, limits).underPressure).toBe(true);
    expect(pressureState({ ...usage, heapUsed: 501 }, limits).underPressure).toBe(true);
    expect(pressureState(usage, limits)).toEqual({
      underPressure: false,
      eventLoopDelayMs: 5,
      heapUsedBytes: 100,
      rssBytes: 10_000,
    });
  });

  it('does not check a limit of 0', () => {
    expect(pressureState({ ...usage, rssBytes: Number.MAX_SAFE_INTEGER }, limits).underPressure).toBe(false);
  });

  it('counts a delay under-pressure could not measure yet (Infinity) as none, and reports it as null', () => {
    expect(pressureState({ ...usage, eventLoopDelay: Infinity }, limits)).toMatchObject({
      underPressure: false,
      eventLoopDelayMs: null,
    });
  });
});
