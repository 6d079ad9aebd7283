import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * @typedef {object} Managed
 * @property {string} name
 * @property {number} pid
 * @property {import('node:child_process').ChildProcess} child
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} exited
 * @property {boolean} hasExited
 * @property {string} [logFile]
 */

/**
 * Every process the harness starts, tracked by PID, so that each way out (normal end, error,
 * Ctrl-C) stops exactly these and nothing else on a machine other people are using.
 */
export class ProcessGroup {
  /** @type {Set<Managed>} */
  #running = new Set();

  /** @param {import('./guardian.js').Guardian} guardian */
  constructor(guardian) {
    this.guardian = guardian;
  }

  /**
   * `stdin` is a pipe that the harness never writes to: the helper processes exit when it closes,
   * which happens even if the harness itself is killed with SIGKILL.
   * @param {string} name
   * @param {[string, string[]]} commandLine
   * @param {{ env: NodeJS.ProcessEnv, cwd?: string, logFile?: string, captureStdout?: boolean }} options
   * @returns {Managed}
   */
  start(name, [command, args], { env, cwd, logFile, captureStdout = false }) {
    const logFd = logFile ? openSync(logFile, 'a') : undefined;
    const child = spawn(command, args, {
      env,
      cwd,
      stdio: ['pipe', captureStdout ? 'pipe' : (logFd ?? 'ignore'), logFd ?? 'inherit'],
    });
    if (logFd !== undefined) closeSync(logFd);
    if (child.pid === undefined) throw new Error(`${name} did not start (${command} ${args.join(' ')})`);

    /** @type {Managed} */
    const managed = {
      name,
      pid: child.pid,
      child,
      logFile,
      hasExited: false,
      exited: Promise.resolve({ code: null, signal: null }),
    };
    managed.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        managed.hasExited = true;
        this.#running.delete(managed);
        this.guardian.forget(managed.pid);
        resolve({ code, signal });
      });
    });
    // A missing binary surfaces as an 'error' event; without a listener it would crash the harness.
    child.once('error', (error) => console.error(`${name}: ${error.message}`));
    child.stdin?.on('error', () => undefined);
    this.#running.add(managed);
    // Through taskset the PID is the same (it execs), but the command line becomes node's.
    this.guardian.watch(managed.pid, args.find((arg) => arg.endsWith('.js')) ?? command);
    return managed;
  }

  /**
   * SIGTERM lets the app drain and close its database pool; SIGKILL follows if it takes too long.
   * @param {Managed} managed
   * @param {number} graceMs
   */
  async stop(managed, graceMs = 15_000) {
    if (managed.hasExited) return managed.exited;
    sendSignal(managed.pid, 'SIGTERM');
    const result = await Promise.race([managed.exited, sleep(graceMs, undefined, { ref: false })]);
    if (result) return result;
    console.error(`${managed.name} (pid ${managed.pid}) still running ${graceMs} ms after SIGTERM: killing it`);
    sendSignal(managed.pid, 'SIGKILL');
    return Promise.race([managed.exited, sleep(5_000, { code: null, signal: null }, { ref: false })]);
  }

  async stopAll() {
    await Promise.all([...this.#running].map((managed) => this.stop(managed)));
  }

  /** Last resort from a synchronous `exit` handler, where nothing can be awaited. */
  killAllNow() {
    for (const managed of this.#running) sendSignal(managed.pid, 'SIGKILL');
  }
}

/**
 * CPU time (user + system) a process has used so far, in milliseconds; undefined off Linux or
 * once it has exited.
 * @param {number} pid
 */
export function cpuTimeMs(pid) {
  const fields = statFields(pid);
  return fields && ((Number(fields[11]) + Number(fields[12])) * 1_000) / CLOCK_TICKS;
}

/**
 * CPU time of a process and of its children, in milliseconds: PostgreSQL's postmaster and the
 * backend it forks for every connection. Children that have exited (and been waited for) are
 * counted too, through the parent's `cutime`/`cstime`.
 * @param {number} pid
 */
export function processTreeCpuTimeMs(pid) {
  const own = statFields(pid);
  if (!own) return undefined;
  let total = ticks(own);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === pid) total += ticks(fields);
  }
  return (total * 1_000) / CLOCK_TICKS;
}

/**
 * utime + stime + cutime + cstime: a process's CPU and that of its children it has waited for.
 * @param {string[]} fields
 */
function ticks(fields) {
  return fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
}

/**
 * The fields of /proc/<pid>/stat after the command name (index 1 is the parent's PID, 11-14
 * utime, stime, cutime and cstime in clock ticks); undefined off Linux or once it has exited.
 * @param {number} pid
 */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may contain spaces: count fields from the closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * @param {number} pid
 * @param {NodeJS.Signals} name
 */
function sendSignal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/**
 * Polls until `url` answers 2xx (any status with `anyStatus`, for a server that has no probe
 * route). Fails fast if the process dies, and after `timeoutMs` at most.
 * @param {string} url
 * @param {Managed} managed
 * @param {{ timeoutMs: number, anyStatus?: boolean }} options
 */
export async function waitUntilServing(url, managed, { timeoutMs, anyStatus = false }) {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (managed.hasExited) {
      const { code, signal: killedBy } = await managed.exited;
      throw new Error(`${managed.name} exited (${killedBy ?? `code ${code}`}) before serving ${url}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok || anyStatus) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(100);
  }
  throw new Error(`${managed.name} did not serve ${url} within ${timeoutMs} ms (${lastProblem})`);
}

/**
 * A port that was free a moment ago. The gap before the server binds it is a race we accept:
 * a clash shows up as a failed start, not as wrong numbers.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
