import { RETRY_AFTER_CAP_MS, backoffDelay, parseRetryAfter } from './backoff.js';

const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
const lowest = () => 0;
const highest = () => 1;

describe('backoffDelay', () => {
  it.each([
    [1, 50, 100],
    [2, 100, 200],
    [3, 200, 400],
    [4, 400, 800],
    [5, 500, 1000],
    [9, 500, 1000],
  ])('retry %i waits from %i ms (random 0) to %i ms (random 1)', (retry, min, max) => {
    expect(backoffDelay(retry, policy, undefined, lowest)).toBe(min);
    expect(backoffDelay(retry, policy, undefined, highest)).toBe(max);
  });

  it('treats retry 0 (or less) like the first retry', () => {
    expect(backoffDelay(0, policy, undefined, highest)).toBe(100);
    expect(backoffDelay(-3, policy, undefined, highest)).toBe(100);
  });

  it('spreads the jitter over the upper half of the ceiling', () => {
    expect(backoffDelay(3, policy, undefined, () => 0.5)).toBe(300);
  });

  it('does not overflow to Infinity for very high retry numbers', () => {
    expect(backoffDelay(5000, policy, undefined, highest)).toBe(1000);
  });

  it('takes a Retry-After longer than the computed delay as the delay', () => {
    expect(backoffDelay(1, policy, 30_000, highest)).toBe(30_000);
  });

  it('keeps the computed delay when the Retry-After is shorter', () => {
    expect(backoffDelay(4, policy, 10, lowest)).toBe(400);
    expect(backoffDelay(4, policy, 0, lowest)).toBe(400);
  });

  it('caps a Retry-After at RETRY_AFTER_CAP_MS', () => {
    expect(backoffDelay(1, policy, RETRY_AFTER_CAP_MS * 5, lowest)).toBe(RETRY_AFTER_CAP_MS);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-06T07:08:09.000Z');

  it.each([
    ['0', 0],
    ['1', 1000],
    ['120', 120_000],
    [' 7 ', 7000],
  ])('reads %j seconds', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  it('reads an HTTP date as the time left until then', () => {
    expect(parseRetryAfter('Mon, 06 May 2024 07:08:39 GMT', now)).toBe(30_000);
  });

  it('reads an HTTP date in the past as 0', () => {
    expect(parseRetryAfter('Mon, 06 May 2024 07:00:00 GMT', now)).toBe(0);
  });

  it.each([['soon'], ['10 seconds'], ['1e3'], ['   ']])('answers undefined for garbage %j', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });

  it.each([[''], [null], [undefined]])('answers undefined for an absent header (%j)', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
