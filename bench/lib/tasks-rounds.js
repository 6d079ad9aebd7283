/**
 * One measured round on each side of a tasks scenario (run by lib/tasks.js), the check of the app
 * before any round, and the JSON-lines channel to the baseline process.
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLoad } from './load.js';

/** No task settled for this long: the round is stopped and the run is invalid. */
const STALL_MS = 30_000;
/**
 * Last resort against a round that crawls without stalling: 2 minutes, plus 100 ms per task
 * (10 tasks/s, far below any rate seen here).
 * @param {number} tasks
 */
const roundLimitMs = (tasks) => 120_000 + tasks * 100;
/** How often the harness counts the app's unsettled tasks once all are submitted. */
const POLL_MS = 50;

/** @typedef {Omit<import('./tasks-report.js').TasksRound, 'cpuUsPerTask' | 'serverSideCpuPercent'>} MeasuredRound */

/**
 * One round on the app: `tasks` POSTs from `producers` connections (autocannon, pinned to the
 * load CPU), then the harness waits until none of the round's tasks is queued or running. Task
 * ids are UUID v7, time-ordered, so `id >= bound` picks the round's rows with the primary key.
 * Timed from the first request to the last `finished_at` PostgreSQL recorded.
 * `credentials` is the `authorization` header of the account that submits.
 * @param {{ run: import('./tasks.js').TasksRun, appUrl: string, credentials: Record<string, string>,
 *   database: pg.Client, scenario: import('../scenarios/index.js').TasksScenario, tasks: number }} context
 * @returns {Promise<MeasuredRound>}
 */
export async function appRound({ run, appUrl, credentials, database, scenario, tasks }) {
  const bound = uuidFloor(Date.now());
  const load = await runLoad(run.processes, run.pinning, {
    url: `${appUrl}/v1/tasks`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentials },
    body: JSON.stringify(scenario.task),
    connections: Math.min(run.options.producers, tasks),
    pipelining: 1,
    amount: tasks,
    limitMs: roundLimitMs(tasks),
  });
  let last = { unsettled: -1, at: performance.now() };
  /** @type {string | undefined} */
  let stalled;
  for (;;) {
    const { rows } = await database.query(
      `SELECT count(*)::int AS unsettled FROM tasks WHERE id >= $1 AND status IN ('queued', 'running')`,
      [bound],
    );
    const unsettled = rows[0].unsettled;
    if (unsettled === 0) break;
    if (unsettled !== last.unsettled) last = { unsettled, at: performance.now() };
    else if (performance.now() - last.at > STALL_MS) stalled = `no task settled for ${STALL_MS / 1_000} s`;
    if (Date.now() - load.startedAtEpochMs > roundLimitMs(tasks))
      stalled = `still running after ${roundLimitMs(tasks) / 1_000} s`;
    if (stalled) break;
    await sleep(POLL_MS);
  }
  const { rows } = await database.query(
    `SELECT status, count(*)::int AS count, max(finished_at) AS last FROM tasks WHERE id >= $1 GROUP BY status`,
    [bound],
  );
  /** @type {Record<string, number>} */
  const statuses = Object.fromEntries(rows.map((row) => [row.status, row.count]));
  const lastFinished = Math.max(...rows.map((row) => (row.last ? row.last.getTime() : 0)));
  const elapsedMs =
    stalled || lastFinished === 0 ? Date.now() - load.startedAtEpochMs : lastFinished - load.startedAtEpochMs;
  const succeeded = statuses.succeeded ?? 0;
  const problems = [];
  if (load.non2xx > 0 || load.errors > 0) {
    const codes = Object.entries(load.statusCodes).filter(([code]) => !code.startsWith('2'));
    problems.push(
      `${load.non2xx + load.errors} submissions failed (${[...codes.map(([code, count]) => `${code}: ${count}`), `errors: ${load.errors}`].join(', ')})`,
    );
  }
  if (stalled) problems.push(stalled);
  if (succeeded !== tasks) problems.push(`${succeeded} of ${tasks} tasks succeeded (${JSON.stringify(statuses)})`);
  return {
    tasks,
    succeeded,
    elapsedSec: elapsedMs / 1_000,
    tasksPerSec: succeeded / (elapsedMs / 1_000),
    submitSec: (load.lastResponseAtEpochMs - load.startedAtEpochMs) / 1_000,
    loadCpuPercent: load.loadCpuPercent,
    statuses,
    problems,
  };
}

/**
 * One round on the baseline process, which adds and times the jobs itself (tasks-baseline.js).
 * @param {LineChannel} channel
 * @param {number} producers
 * @param {number} tasks
 * @returns {Promise<MeasuredRound>}
 */
export async function baselineRound(channel, producers, tasks) {
  channel.send({ round: { tasks, producers, stallMs: STALL_MS } });
  /** @type {{ round: import('../tasks-baseline.js').TasksBaselineRound }} */
  const { round } = await channel.next(roundLimitMs(tasks));
  const problems = [];
  if (round.stalled) problems.push(`no job settled for ${STALL_MS / 1_000} s`);
  if (round.completed !== tasks || round.failed > 0) {
    problems.push(
      `${round.completed} of ${tasks} jobs completed, ${round.failed} failed${round.firstError ? ` (${round.firstError})` : ''}`,
    );
  }
  return {
    tasks,
    succeeded: round.completed,
    elapsedSec: round.elapsedMs / 1_000,
    tasksPerSec: round.completed / (round.elapsedMs / 1_000),
    submitSec: round.submitMs / 1_000,
    statuses: { completed: round.completed, failed: round.failed },
    problems,
  };
}

/**
 * Submits one task and follows it to `succeeded` before anything is measured: an app whose
 * worker does not run (or fails the task) would otherwise only show up as a stalled round.
 * @param {string} appUrl
 * @param {{ type: string, payload: object }} task
 * @param {Record<string, string>} credentials
 */
export async function checkApp(appUrl, task, credentials) {
  const response = await fetch(`${appUrl}/v1/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentials },
    body: JSON.stringify(task),
    signal: AbortSignal.timeout(10_000),
  });
  const submitted = await response.json();
  if (response.status !== 202) {
    throw new Error(`POST /v1/tasks answered ${response.status} ${JSON.stringify(submitted)} while checking the app`);
  }
  const deadline = Date.now() + 30_000;
  let state = submitted;
  while (Date.now() < deadline) {
    const read = await fetch(`${appUrl}/v1/tasks/${submitted.id}`, {
      headers: credentials,
      signal: AbortSignal.timeout(10_000),
    });
    state = await read.json();
    if (state.status === 'succeeded') return;
    if (state.status !== 'queued' && state.status !== 'running') break;
    await sleep(50);
  }
  throw new Error(`the check task did not succeed within 30 s: ${JSON.stringify(state)}`);
}

/**
 * The smallest UUID v7 of a millisecond: every id the app makes from then on sorts after it.
 * @param {number} epochMs
 */
function uuidFloor(epochMs) {
  const hex = epochMs.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-0000-0000-000000000000`;
}

/** JSON lines to and from a child process (the baseline's stdin and stdout). */
export class LineChannel {
  /** @type {unknown[]} */ #queued = [];
  /** @type {((message: unknown) => void) | undefined} */ #waiting;

  /** @param {import('./processes.js').Managed} managed */
  constructor(managed) {
    this.managed = managed;
    const stdout = managed.child.stdout;
    if (!stdout) throw new Error(`${managed.name}: stdout is not captured`);
    createInterface({ input: stdout }).on('line', (line) => {
      if (!line.trim()) return;
      const message = JSON.parse(line);
      if (this.#waiting) this.#waiting(message);
      else this.#queued.push(message);
    });
  }

  /** @param {object} message */
  send(message) {
    this.managed.child.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  /**
   * The next message, failing when the process exits or `timeoutMs` passes first.
   * @param {number} timeoutMs
   * @returns {Promise<any>}
   */
  next(timeoutMs) {
    if (this.#queued.length > 0) return Promise.resolve(this.#queued.shift());
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        this.#waiting = undefined;
      };
      /** @param {unknown} message */
      const waiter = (message) => {
        stop();
        resolve(message);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`${this.managed.name} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting = waiter;
      void this.managed.exited.then(({ code, signal }) => {
        if (this.#waiting === waiter) {
          stop();
          reject(new Error(`${this.managed.name} exited (${signal ?? `code ${code}`}); see its log`));
        }
        return undefined;
      });
    });
  }
}
