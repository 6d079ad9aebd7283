import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes.js';

const COMPILED = new URL('../../dist/infrastructure/database/embedded-postgres.js', import.meta.url);

/**
 * @typedef {object} BenchPostgres
 * @property {string} url
 * @property {string} dir
 * @property {() => Promise<void>} stop
 * @property {() => void} stopNow Synchronous last resort for an `exit` handler.
 */

/**
 * The app's own embedded PostgreSQL class, on a throw-away cluster: a temporary directory keeps
 * a crashed run from leaving a server that the next run would silently reuse, and keeps two
 * people's runs apart. Server settings stay at their defaults, as in production.
 * @param {(message: string) => void} log
 * @param {import('./guardian.js').Guardian} guardian
 * @returns {Promise<BenchPostgres>}
 */
export async function startPostgres(log, guardian) {
  if (!existsSync(COMPILED)) throw new Error(`${COMPILED.pathname} is missing: run npm run build first`);
  /** @type {{ EmbeddedPostgres: { start(options: object): Promise<{ url: string, stop(): Promise<void> }> } }} */
  const { EmbeddedPostgres } = await import(COMPILED.href);
  const dir = await mkdtemp(join(tmpdir(), 'nest-bench-pg-'));
  guardian.watchPostgres(dir);
  let stopped = false;
  const removeDir = () => rm(dir, { recursive: true, force: true, maxRetries: 3 });
  try {
    const server = await EmbeddedPostgres.start({ dir, port: await freePort(), database: 'bench', log });
    return {
      url: server.url,
      dir,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop().catch((error) => console.error(`PostgreSQL did not stop cleanly: ${error}`));
        await removeDir();
        guardian.forgetPostgres(dir);
      },
      stopNow() {
        if (stopped) return;
        stopped = true;
        stopPostmasterNow(dir);
      },
    };
  } catch (error) {
    stopPostmasterNow(dir);
    throw error;
  }
}

/**
 * SIGINT is PostgreSQL's "fast shutdown". Waits up to 5 s (synchronously: this runs where
 * nothing can be awaited) so that the directory can be removed afterwards.
 * @param {string} dir
 */
function stopPostmasterNow(dir) {
  const pid = postmasterPid(dir);
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGINT');
      const deadline = Date.now() + 5_000;
      const pause = new Int32Array(new SharedArrayBuffer(4));
      while (Date.now() < deadline && isAlive(pid)) Atomics.wait(pause, 0, 0, 50);
    } catch {
      // Already gone.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/** @param {string} dir The PID in a data directory's postmaster.pid, if any. */
export function postmasterPid(dir) {
  try {
    const pid = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
