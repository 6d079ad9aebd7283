import { median } from './stats.js';
import { alignColumns } from './table.js';

/**
 * @typedef {object} TasksCpu CPU time per task, in microseconds, over the round.
 * @property {number} [process] The app, or the baseline process.
 * @property {number} [postgres] The postmaster and its backends (all connections, both sides').
 * @property {number} [redis] redis-server, on the Redis backend.
 * @property {number} total The three together: the server CPU one task costs.
 */

/**
 * @typedef {object} TasksRound
 * @property {number} tasks Submitted (app) or added (baseline).
 * @property {number} succeeded Tasks `succeeded` (app), jobs completed (baseline).
 * @property {number} elapsedSec From the first submit until the last task finished.
 * @property {number} tasksPerSec succeeded / elapsedSec.
 * @property {number} submitSec From the first submit until the last one was answered.
 * @property {Record<string, number>} statuses The round's tasks by final status (app), or completed/failed jobs (baseline).
 * @property {string[]} problems Anything that makes the round invalid (failed tasks, failed submits, a stall).
 * @property {number} [loadCpuPercent] The app's submitter (autocannon) over its run; 100 = one core.
 * @property {TasksCpu} cpuUsPerTask
 * @property {number} serverSideCpuPercent process + PostgreSQL + Redis CPU over elapsedSec (100 = one core).
 * @property {number} [serverRssMb]
 */

/**
 * @typedef {object} TasksTargetSummary
 * @property {string} label
 * @property {TasksRound[]} rounds
 * @property {{ median: number, min: number, max: number }} tasksPerSec
 * @property {number} elapsedSec Median.
 * @property {number} submitSec Median.
 * @property {{ process?: number, postgres?: number, redis?: number, total?: number }} cpuUsPerTask Medians.
 * @property {{ startMb?: number, peakMb?: number, endMb?: number }} rssMb
 * @property {number} failed Tasks of the measured rounds that did not succeed.
 */

/**
 * @typedef {object} TasksResult
 * @property {'tasks'} kind
 * @property {{ name: string, title: string, backend: string, app: string, baseline: string }} scenario
 * @property {string} startedAt
 * @property {string} finishedAt
 * @property {{ rounds: number, duration: number, warmupSec: number, warmupRates: { baseline?: number, app?: number },
 *   tasks?: number, producers: number, concurrency: number }} settings `warmupRates`: tasks/s in the last warm-up batch.
 * @property {import('./machine.js').MachineFacts & { loadAverageAtEnd?: number[] }} machine
 * @property {import('./machine.js').Pinning} pinning
 * @property {string} [skipped] Why the scenario did not run (no redis-server, say); nothing else is then set.
 * @property {Record<string, string>} [appEnvironment]
 * @property {{ baseline: TasksTargetSummary, app: TasksTargetSummary }} [targets]
 * @property {{ tasksPerSec: number, perRound: number[], cpuPerTask?: number }} [ratio]
 *   `cpuPerTask` is baseline / app total server CPU per task.
 * @property {{ metric: string, min: number, valid: boolean, met: boolean }} [target]
 * @property {{ lines: number, bytes: number, errorLines: number }} [appLog]
 * @property {string[]} warnings
 */

/**
 * @param {string} label
 * @param {TasksRound[]} rounds
 * @param {{ startMb?: number, peakMb?: number, endMb?: number }} rssMb
 * @returns {TasksTargetSummary}
 */
export function summariseTasksTarget(label, rounds, rssMb) {
  const rates = rounds.map((round) => round.tasksPerSec);
  /** @param {(round: TasksRound) => number | undefined} pick */
  const middle = (pick) => {
    const values = rounds.map(pick);
    return values.length > 0 && values.every((value) => value !== undefined) ? median(values) : undefined;
  };
  return {
    label,
    rounds,
    tasksPerSec: {
      median: rates.length > 0 ? median(rates) : Number.NaN,
      min: Math.min(...rates),
      max: Math.max(...rates),
    },
    elapsedSec: middle((round) => round.elapsedSec) ?? Number.NaN,
    submitSec: middle((round) => round.submitSec) ?? Number.NaN,
    cpuUsPerTask: {
      process: middle((round) => round.cpuUsPerTask.process),
      postgres: middle((round) => round.cpuUsPerTask.postgres),
      redis: middle((round) => round.cpuUsPerTask.redis),
      total: middle((round) => round.cpuUsPerTask.total),
    },
    rssMb,
    failed: rounds.reduce((sum, round) => sum + round.tasks - round.succeeded, 0),
  };
}

/**
 * One line of progress for a round.
 * @param {TasksRound} round
 */
export function describeTasksRound(round) {
  const cpu = round.cpuUsPerTask;
  return (
    `${integer(round.tasksPerSec)} tasks/s (${integer(round.tasks)} in ${round.elapsedSec.toFixed(2)} s, ` +
    `submitted in ${round.submitSec.toFixed(2)} s), CPU us/task: process ${fixed(cpu.process)}, ` +
    `PostgreSQL ${fixed(cpu.postgres)}${cpu.redis === undefined ? '' : `, Redis ${fixed(cpu.redis)}`}, ` +
    `server side ${Math.round(round.serverSideCpuPercent)} % busy` +
    (round.loadCpuPercent === undefined ? '' : `, submitter CPU ${Math.round(round.loadCpuPercent)} %`) +
    (round.serverRssMb === undefined ? '' : `, RSS ${round.serverRssMb} MB`)
  );
}

/** @param {TasksResult} result */
export function formatTasksForTerminal(result) {
  const header = `${result.scenario.name}: ${result.scenario.title}`;
  if (result.skipped) return ['', header, `  SKIPPED: ${result.skipped}`, ''].join('\n');
  const rows = [HEADINGS, ...tasksRows(result)];
  const table = alignColumns(rows);
  return [
    '',
    header,
    `  ${describeTasksSettings(result.settings)}`,
    ...table.map((line) => `  ${line}`),
    `  ${tasksVerdict(result)}`,
    ...result.warnings.map((warning) => `  warning: ${warning}`),
    '',
  ].join('\n');
}

/** @param {TasksResult} result */
export function formatTasksMarkdown(result) {
  const lines = [`## ${result.scenario.name}`, '', result.scenario.title, ''];
  if (result.skipped) return [...lines, `**SKIPPED: ${result.skipped}**`, ''];
  lines.push(
    describeTasksSettings(result.settings),
    '',
    `| ${HEADINGS.join(' | ')} |`,
    `| --- |${' ---: |'.repeat(HEADINGS.length - 1)}`,
    ...tasksRows(result).map((row) => `| ${row.join(' | ')} |`),
    '',
    `**${tasksVerdict(result)}**`,
    '',
    ...result.warnings.map((warning) => `- warning: ${warning}`),
  );
  if (result.warnings.length > 0) lines.push('');
  return lines;
}

/** @param {TasksResult['settings']} settings */
export function describeTasksSettings(settings) {
  return (
    `${settings.rounds} alternating rounds of ${settings.tasks === undefined ? '?' : integer(settings.tasks)} tasks per target ` +
    `after ${settings.warmupSec} s of warm-up, ${settings.producers} producers, worker concurrency ${settings.concurrency}`
  );
}

const HEADINGS = [
  'target',
  'tasks/s (median)',
  'min-max',
  's/round',
  'submit s',
  'CPU us/task: process',
  'PostgreSQL',
  'Redis',
  'total',
  'RSS start/peak/end MB',
  'not succeeded',
];

/** @param {TasksResult} result */
function tasksRows(result) {
  const targets = /** @type {NonNullable<TasksResult['targets']>} */ (result.targets);
  return [
    ['baseline (plain BullMQ)', targets.baseline],
    ['app (Nest, production)', targets.app],
  ].map(([label, target]) => {
    const summary = /** @type {TasksTargetSummary} */ (target);
    const rss = [summary.rssMb.startMb, summary.rssMb.peakMb, summary.rssMb.endMb]
      .map((value) => (value === undefined ? 'n/a' : value.toFixed(1)))
      .join(' / ');
    return [
      String(label),
      integer(summary.tasksPerSec.median),
      `${integer(summary.tasksPerSec.min)}-${integer(summary.tasksPerSec.max)}`,
      fixed(summary.elapsedSec, 2),
      fixed(summary.submitSec, 2),
      fixed(summary.cpuUsPerTask.process),
      fixed(summary.cpuUsPerTask.postgres),
      fixed(summary.cpuUsPerTask.redis),
      fixed(summary.cpuUsPerTask.total),
      rss,
      integer(summary.failed),
    ];
  });
}

/** @param {TasksResult} result */
function tasksVerdict(result) {
  const ratio = /** @type {NonNullable<TasksResult['ratio']>} */ (result.ratio);
  const target = /** @type {NonNullable<TasksResult['target']>} */ (result.target);
  const perRound = ratio.perRound.map((value) => value.toFixed(2)).join(', ');
  const cpu = ratio.cpuPerTask === undefined ? '' : `; by CPU per task: ${ratio.cpuPerTask.toFixed(2)}`;
  const judged = !target.valid
    ? 'INVALID RUN (failed or missing tasks, or a stalled round)'
    : ratio.tasksPerSec >= target.min
      ? 'met'
      : 'MISSED';
  return (
    `ratio app/baseline tasks/s: ${fixed(ratio.tasksPerSec, 2)} (per round: ${perRound}${cpu}); ` +
    `target >= ${target.min}: ${judged}`
  );
}

/**
 * @param {number | undefined} value
 * @param {number} [digits]
 */
function fixed(value, digits = 0) {
  return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}

/** @param {number} value */
function integer(value) {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}
