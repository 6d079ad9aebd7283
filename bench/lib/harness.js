import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Guardian } from './guardian.js';
import { ProcessGroup } from './processes.js';

const CLEANUP_TIMEOUT_MS = 30_000;

/**
 * @typedef {object} Owned Something a harness started that must not outlive it.
 * @property {() => Promise<unknown>} stop
 * @property {() => void} stopNow Synchronous last resort, from an `exit` handler.
 */

/**
 * The life of a harness process (`npm run bench`, `npm run faults`) on a machine other people
 * use: every way out (the end of `main`, an error, Ctrl-C, `process.exit`) stops exactly the
 * processes, servers and directories it started, and nothing else; the guardian covers a
 * SIGKILL of the harness itself.
 */
export class Harness {
  guardian = new Guardian();
  processes = new ProcessGroup(this.guardian);
  /** @type {Owned[]} */
  #owned = [];
  /** @type {Promise<void> | undefined} */
  #cleaning;
  #interrupted = false;

  /** @param {string} label Prefix of the progress lines. */
  constructor(label) {
    this.label = label;
    for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
      process.on(signal, () => this.#onSignal(signal));
    }
    process.on('exit', () => {
      this.processes.killAllNow();
      for (const owned of this.#owned.toReversed()) owned.stopNow();
    });
  }

  /** @param {string} message */
  progress = (message) => console.error(`[${this.label}] ${message}`);

  /**
   * Stopped after the processes, the last owned first.
   * @template {Owned} T
   * @param {T} owned
   * @returns {T}
   */
  own(owned) {
    this.#owned.push(owned);
    return owned;
  }

  /**
   * A scratch directory removed at the end, however the run ends.
   * @param {string} prefix
   */
  scratchDir(prefix) {
    const dir = mkdtempSync(join(os.tmpdir(), prefix));
    this.guardian.watchScratch(dir);
    this.own({
      stop: () => rm(dir, { recursive: true, force: true }),
      stopNow: () => rmSync(dir, { recursive: true, force: true }),
    });
    return dir;
  }

  /**
   * Runs `main`, cleans up, and exits with its code (0 when it returns nothing); `errorCode` when
   * it throws, 130 when interrupted.
   * @param {() => Promise<number | void>} main
   * @param {number} errorCode
   */
  run(main, errorCode = 1) {
    main().then(
      (code) => this.#cleanup().then(() => process.exit(code ?? 0)),
      (error) => {
        if (!this.#interrupted) {
          console.error(`${this.label} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        return this.#cleanup().then(() => process.exit(this.#interrupted ? 130 : errorCode));
      },
    );
  }

  #cleanup() {
    this.#cleaning ??= (async () => {
      const work = (async () => {
        await this.processes.stopAll();
        for (const owned of this.#owned.toReversed()) await owned.stop();
        return true;
      })();
      // Past the deadline, the guardian (and the exit handler) deal with whatever is left.
      const done = await Promise.race([work, sleep(CLEANUP_TIMEOUT_MS, false, { ref: false })]);
      if (done) this.guardian.release();
    })();
    return this.#cleaning;
  }

  /** @param {NodeJS.Signals} signal */
  #onSignal(signal) {
    // Second Ctrl-C: stop waiting; the exit handler kills what is left.
    if (this.#interrupted) process.exit(130);
    this.#interrupted = true;
    this.progress(`${signal}: stopping everything this run started (Ctrl-C again to force)`);
    void this.#cleanup().finally(() => process.exit(130));
  }
}
