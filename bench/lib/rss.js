import { readFileSync } from 'node:fs';

/**
 * Resident memory of one process, from /proc (Linux only; elsewhere every figure is undefined).
 * Sampled on a timer for the whole life of the server so the peak includes warm-up and every
 * round, not just the moments the harness happens to look.
 */
export class RssSampler {
  /** @type {number | undefined} */ startKb;
  /** @type {number | undefined} */ peakKb;
  /** @type {number | undefined} */ lastKb;
  /** @type {NodeJS.Timeout | undefined} */ #timer;

  /** @param {number} pid */
  constructor(pid) {
    this.pid = pid;
  }

  /** @param {number} intervalMs */
  start(intervalMs = 100) {
    this.sample();
    this.startKb = this.lastKb;
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
    return this;
  }

  /** @returns {number | undefined} MB */
  sample() {
    const kb = readRssKb(this.pid);
    if (kb !== undefined) {
      this.lastKb = kb;
      this.peakKb = Math.max(this.peakKb ?? 0, kb);
    }
    return mb(kb);
  }

  /** Takes a final sample, which is the "end" figure. */
  stop() {
    clearInterval(this.#timer);
    this.sample();
    return { startMb: mb(this.startKb), peakMb: mb(this.peakKb), endMb: mb(this.lastKb) };
  }
}

/** @param {number} pid */
export function readRssKb(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** @param {number | undefined} kb */
function mb(kb) {
  return kb === undefined ? undefined : Math.round((kb / 1024) * 10) / 10;
}
