import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const GUARDIAN = fileURLToPath(new URL('../guardian.js', import.meta.url));

/**
 * @typedef {{ watch: number, match: string } | { forget: number } | { postgres: string }
 *   | { forgetPostgres: string } | { scratch: string } | { release: true }} GuardianMessage
 */

/**
 * A watchdog process that outlives the harness if the harness is killed outright, and then
 * stops what the harness started (see ../guardian.js). The harness's own cleanup does the
 * normal work; this only covers the case where no code of ours gets to run.
 */
export class Guardian {
  #child = spawn(process.execPath, [GUARDIAN], { stdio: ['pipe', 'ignore', 'inherit'] });

  constructor() {
    this.#child.stdin?.on('error', () => undefined);
    // It must not keep the harness alive, and it exits on its own once its stdin closes.
    this.#child.unref();
    /** @type {import('node:net').Socket} */ (this.#child.stdin)?.unref();
  }

  /**
   * @param {number} pid
   * @param {string} match Text its command line contains, so a reused PID is never touched.
   */
  watch(pid, match) {
    this.#send({ watch: pid, match });
  }

  /** @param {number} pid */
  forget(pid) {
    this.#send({ forget: pid });
  }

  /** @param {string} dir A PostgreSQL data directory (its postmaster is stopped, then it is removed). */
  watchPostgres(dir) {
    this.#send({ postgres: dir });
  }

  /** @param {string} dir */
  forgetPostgres(dir) {
    this.#send({ forgetPostgres: dir });
  }

  /** @param {string} dir Removed if the harness dies. */
  watchScratch(dir) {
    this.#send({ scratch: dir });
  }

  /** Everything was cleaned up normally: the guardian exits without doing anything. */
  release() {
    this.#send({ release: true });
    this.#child.stdin?.end();
  }

  /** @param {GuardianMessage} message */
  #send(message) {
    if (this.#child.stdin?.writable) this.#child.stdin.write(`${JSON.stringify(message)}\n`);
  }
}
