import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { inherited } from '../../bench/lib/app.js';
import { postmasterPid } from '../../bench/lib/postgres.js';
import { freePort, waitUntilServing } from '../../bench/lib/processes.js';

const STARTUP_TIMEOUT_MS = 90_000;

/**
 * @typedef {{ createDatabase(name: string): Promise<void>, urlOf(name: string): string, stop(): Promise<void> }} Server
 * @typedef {{ start(options: object): Promise<Server>, stopAbandoned(dir: string): Promise<void> }} EmbeddedPostgresClass
 */

/**
 * One PostgreSQL cluster for the whole suite (each scenario gets its own database), run with the
 * app's own EmbeddedPostgres class from the build, with PostgreSQL's default settings (durability
 * on, as in production), and stopped and started again on the same port and data by the faults.
 */
export class Cluster {
  /** @type {Server} */ #server;
  #stopped = false;

  /**
   * @param {EmbeddedPostgresClass} embedded
   * @param {Server} server
   * @param {string} dir
   * @param {number} port
   * @param {(message: string) => void} log
   */
  constructor(embedded, server, dir, port, log) {
    this.embedded = embedded;
    this.#server = server;
    this.dir = dir;
    this.port = port;
    this.log = log;
  }

  /**
   * @param {string} dist
   * @param {import('../../bench/lib/guardian.js').Guardian} guardian
   * @param {(message: string) => void} log
   */
  static async start(dist, guardian, log) {
    const compiled = join(dist, 'infrastructure', 'database', 'embedded-postgres.js');
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first`);
    /** @type {{ EmbeddedPostgres: EmbeddedPostgresClass }} */
    const { EmbeddedPostgres } = await import(pathToFileURL(compiled).href);
    const dir = await mkdtemp(join(tmpdir(), 'nest-faults-pg-'));
    guardian.watchPostgres(dir);
    const port = await freePort();
    const server = await EmbeddedPostgres.start({ dir, port, database: 'postgres', log });
    return new Cluster(EmbeddedPostgres, server, dir, port, log);
  }

  /** @param {string} name A new, empty database; its URL. */
  async database(name) {
    await this.#server.createDatabase(name);
    return this.#server.urlOf(name);
  }

  /**
   * `fast` terminates the sessions (rolling back their transactions) and checkpoints;
   * `immediate` quits without either, and the next start replays the WAL (crash recovery).
   * @param {'fast' | 'immediate'} mode
   */
  async shutDown(mode) {
    if (mode === 'fast') await this.#server.stop();
    else await this.embedded.stopAbandoned(this.dir);
  }

  /** The same cluster again, on the same port, with its data. */
  async restart() {
    this.#server = await this.embedded.start({ dir: this.dir, port: this.port, database: 'postgres', log: this.log });
  }

  /** Stops the cluster and removes its data. */
  async stop() {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.embedded.stopAbandoned(this.dir).catch((error) => console.error(`PostgreSQL did not stop: ${error}`));
    await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }

  /** For a synchronous `exit` handler: SIGQUIT is the postmaster's immediate shutdown. */
  stopNow() {
    if (this.#stopped) return;
    this.#stopped = true;
    const pid = postmasterPid(this.dir);
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * An app process of the build: `api` serves HTTP on `env.PORT`, `worker` runs the queue.
 * Resolves once it serves /health/live (api) or has logged that it started (worker).
 * @param {import('../../bench/lib/processes.js').ProcessGroup} processes
 * @param {{ dist: string, role: 'api' | 'worker', env: Record<string, string>, dir: string, name: string }} options
 */
export async function startApp(processes, { dist, role, env, dir, name }) {
  const logFile = join(dir, `${name}.log`);
  const managed = processes.start(name, [process.execPath, [join(dist, 'main.js')]], {
    env: { ...inherited(), ...env, APP_ROLE: role },
    cwd: dir,
    logFile,
  });
  if (role === 'api') {
    await waitUntilServing(`http://127.0.0.1:${env.PORT}/health/live`, managed, { timeoutMs: STARTUP_TIMEOUT_MS });
    return managed;
  }
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await readFile(logFile, 'utf8').catch(() => '')).includes('"msg":"Started (role worker)"')) {
    if (managed.hasExited) throw new Error(`${name} exited before it started (see ${logFile})`);
    if (Date.now() > deadline) throw new Error(`${name} did not start within ${STARTUP_TIMEOUT_MS} ms`);
    await sleep(200);
  }
  return managed;
}
