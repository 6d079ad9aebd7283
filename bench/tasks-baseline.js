/**
 * The baseline of a tasks scenario: a plain BullMQ queue and worker in one process, built by the
 * scenario's `baseline` (scenarios/tasks.js). The harness sends one JSON line per round on stdin,
 * `{"round":{"tasks":M,"producers":K,"stallMs":S}}`; for each, this process adds M jobs from K
 * concurrent producers and answers one JSON line on stdout (`TasksBaselineRound`) once the worker
 * has completed them all, or nothing more happened for S ms. The first line out is `{"ready":true}`.
 * Usage: node bench/tasks-baseline.js SCENARIO (DATABASE_URL, REDIS_URL, TASK_CONCURRENCY in env).
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeOnSignals } from './lib/exit.js';
import { findScenario } from './scenarios/index.js';

/**
 * @typedef {object} TasksBaselineRound
 * @property {number} tasks Jobs asked for.
 * @property {number} completed
 * @property {number} failed Jobs the worker failed, and adds that threw.
 * @property {number} elapsedMs From the first add until the last job completed (or the stall).
 * @property {number} submitMs From the first add until the last add returned.
 * @property {boolean} stalled
 * @property {string} [firstError]
 */

const scenario = findScenario(process.argv[2] ?? '');
if (scenario.kind !== 'tasks') throw new Error(`${scenario.name} is not a tasks scenario`);

const baseline = await scenario.baseline({
  databaseUrl: process.env.DATABASE_URL ?? '',
  redisUrl: process.env.REDIS_URL || undefined,
  concurrency: Number(process.env.TASK_CONCURRENCY),
});
/** The round in progress: settled = completed + failed (adds that threw included). */
const current = { tasks: 0, completed: 0, failed: 0, finishedAt: 0 };
/** @type {string | undefined} */
let firstError;
/** @param {unknown} error */
const remember = (error) => (firstError ??= error instanceof Error ? error.message : String(error));
const settle = () => {
  if (current.completed + current.failed === current.tasks) current.finishedAt = performance.now();
};
baseline.worker.on('completed', () => {
  current.completed++;
  settle();
});
baseline.worker.on('failed', (_job, error) => {
  current.failed++;
  remember(error);
  settle();
});
// An unhandled 'error' event would end the process; a failing backend shows up as a stall.
baseline.worker.on('error', (error) => console.error(`worker error: ${error.message}`));
await baseline.worker.waitUntilReady();

const close = closeOnSignals(() => baseline.close());

send({ ready: true });
// The orchestrator holds our stdin open; when it ends (the run is over, or the harness died),
// so do we.
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  /** @type {{ round: { tasks: number, producers: number, stallMs: number } }} */
  const message = JSON.parse(line);
  send({ round: await round(message.round) });
}
close();

/**
 * @param {{ tasks: number, producers: number, stallMs: number }} request
 * @returns {Promise<TasksBaselineRound>}
 */
async function round({ tasks, producers, stallMs }) {
  Object.assign(current, { tasks, completed: 0, failed: 0, finishedAt: 0 });
  firstError = undefined;
  let next = 0;
  const produce = async () => {
    while (next < tasks) {
      next++;
      try {
        await baseline.add();
      } catch (error) {
        current.failed++;
        remember(error);
        settle();
      }
    }
  };
  const startedAt = performance.now();
  let submittedAt = 0;
  void Promise.all(Array.from({ length: producers }, produce)).then(() => (submittedAt = performance.now()));

  // The end is timed by the event handlers; this loop only waits for it, or for a stall.
  let last = { settled: 0, at: startedAt };
  let stalled = false;
  while (current.finishedAt === 0) {
    await sleep(20);
    const settled = current.completed + current.failed;
    const now = performance.now();
    if (settled !== last.settled) last = { settled, at: now };
    else if (now - last.at > stallMs) {
      stalled = true;
      break;
    }
  }
  const end = stalled ? performance.now() : current.finishedAt;
  return {
    tasks,
    completed: current.completed,
    failed: current.failed,
    elapsedMs: end - startedAt,
    submitMs: (submittedAt || end) - startedAt,
    stalled,
    firstError,
  };
}

/** @param {object} message */
function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}
