import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { APP_MAIN, appEnvironment, environmentForTheRecord, inherited, inspectLog, printTail } from './app.js';
import { bearer, signUp } from './auth.js';
import { loadAverage, pinnedCommand } from './machine.js';
import { postmasterPid } from './postgres.js';
import { cpuTimeMs, freePort, processTreeCpuTimeMs, waitUntilServing } from './processes.js';
import { redisUnavailable, startRedis } from './redis.js';
import { RssSampler } from './rss.js';
import { describeTasksRound, summariseTasksTarget } from './tasks-report.js';
import { appRound, baselineRound, checkApp, LineChannel } from './tasks-rounds.js';

const BASELINE_MAIN = fileURLToPath(new URL('../tasks-baseline.js', import.meta.url));
/** The first warm-up batch; the next ones last about a second each at the rate seen so far. */
const FIRST_WARMUP_BATCH = 200;
/** Tasks per round when neither `--tasks` nor a warm-up gives a size. */
const DEFAULT_TASKS = 2_000;
const MAX_TASKS = 200_000;

/**
 * @typedef {object} TasksRun
 * @property {import('./options.js').BenchOptions} options
 * @property {import('./machine.js').MachineFacts} machine
 * @property {import('./machine.js').Pinning} pinning
 * @property {string} databaseUrl
 * @property {string} keptLog Where the app log is copied when it matters.
 * @property {import('./postgres.js').BenchPostgres} postgres
 * @property {import('./processes.js').ProcessGroup} processes
 * @property {string} runDir Scratch directory of the run.
 * @property {(message: string) => void} progress
 * @property {number} startupTimeoutMs
 * @property {number} pauseMs Between rounds.
 */

/**
 * Runs a tasks scenario: the app (all roles in one process) and the plain BullMQ baseline, each
 * given the same number of tasks per round, in alternating rounds. See "Tasks" in bench/README.md.
 * @param {import('../scenarios/index.js').TasksScenario} scenario
 * @param {TasksRun} run
 * @returns {Promise<import('./tasks-report.js').TasksResult>}
 */
export async function runTasksScenario(scenario, run) {
  const { options, pinning, databaseUrl, processes, progress } = run;
  const startedAt = new Date().toISOString();
  const settings = {
    rounds: options.rounds,
    duration: options.duration,
    warmupSec: options.warmup,
    /** @type {{ baseline?: number, app?: number }} tasks/s of the last warm-up batch of each */
    warmupRates: {},
    tasks: options.tasks,
    producers: options.producers,
    concurrency: options.taskConcurrency,
  };
  const record = {
    kind: /** @type {const} */ ('tasks'),
    scenario: {
      name: scenario.name,
      title: scenario.title,
      backend: scenario.backend,
      app: `POST /v1/tasks ${JSON.stringify(scenario.task)}, then the app's worker (APP_ROLE=all)`,
      baseline: 'plain BullMQ: Queue.add with removeOnComplete, a no-op Worker (bench/tasks-baseline.js)',
    },
    startedAt,
    machine: run.machine,
    pinning,
  };
  const unavailable = scenario.backend === 'redis' ? redisUnavailable() : undefined;
  if (unavailable) {
    progress(`${scenario.name}: SKIPPED: ${unavailable}`);
    return {
      ...record,
      settings,
      skipped: unavailable,
      finishedAt: new Date().toISOString(),
      machine: { ...run.machine, loadAverageAtEnd: loadAverage() },
      warnings: [],
    };
  }

  const redis =
    scenario.backend === 'redis' ? await startRedis(processes, { dir: run.runDir, env: inherited() }) : undefined;
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const appLog = join(run.runDir, `${scenario.name}-app.log`);
  const backendEnv = redis ? { REDIS_URL: redis.url } : {};
  const appEnv = appEnvironment({
    port: appPort,
    databaseUrl,
    extra: { APP_ROLE: 'all', TASK_CONCURRENCY: String(options.taskConcurrency), ...backendEnv },
    appEnv: options.appEnv,
  });
  progress(`${scenario.name}: starting the app (APP_ROLE=all) and the plain BullMQ baseline`);
  const app = processes.start('app', pinnedCommand(pinning, 'server', process.execPath, [APP_MAIN]), {
    env: { ...inherited(), ...appEnv },
    cwd: run.runDir,
    logFile: appLog,
  });
  const baseline = processes.start(
    'baseline',
    pinnedCommand(pinning, 'server', process.execPath, [BASELINE_MAIN, scenario.name]),
    {
      env: {
        ...inherited(),
        DATABASE_URL: databaseUrl,
        TASK_CONCURRENCY: String(options.taskConcurrency),
        ...backendEnv,
      },
      logFile: join(run.runDir, `${scenario.name}-baseline.log`),
      captureStdout: true,
    },
  );
  const channel = new LineChannel(baseline);
  /** @type {Record<string, string>} */
  let credentials = {};
  const database = new pg.Client({ connectionString: databaseUrl });
  // Unhandled, a dropped connection would end the harness; the next query fails and says why.
  database.on('error', (error) => progress(`${scenario.name}: PostgreSQL connection error: ${error.message}`));
  try {
    await Promise.all([
      waitUntilServing(`${appUrl}/health/live`, app, { timeoutMs: run.startupTimeoutMs }),
      channel.next(run.startupTimeoutMs),
      database.connect(),
    ]);
    // Any account may submit tasks. Its own (welcome and verification mails) run before the
    // check task is done, long before the first round, which counts only tasks newer than itself.
    credentials = bearer((await signUp(appUrl)).accessToken);
    await checkApp(appUrl, scenario.task, credentials);
  } catch (error) {
    await printTail(appLog, 'app log');
    await copyFile(appLog, run.keptLog).catch(() => undefined);
    await database.end().catch(() => undefined);
    throw error;
  }

  const postgresPid = postmasterPid(run.postgres.dir);
  const rss = { app: new RssSampler(app.pid).start(), baseline: new RssSampler(baseline.pid).start() };
  /** @param {import('./processes.js').Managed} managed */
  const cpuOf = (managed) => ({
    process: cpuTimeMs(managed.pid),
    postgres: postgresPid === undefined ? undefined : processTreeCpuTimeMs(postgresPid),
    redis: redis ? cpuTimeMs(redis.managed.pid) : undefined,
  });

  /**
   * @param {'baseline' | 'app'} name
   * @param {number} tasks
   * @returns {Promise<import('./tasks-report.js').TasksRound>}
   */
  const round = async (name, tasks) => {
    const managed = name === 'app' ? app : baseline;
    if (managed.hasExited) throw new Error(`${managed.name} exited during the run`);
    const before = cpuOf(managed);
    const measured =
      name === 'app'
        ? await appRound({ run, appUrl, credentials, database, scenario, tasks })
        : await baselineRound(channel, options.producers, tasks);
    const after = cpuOf(managed);
    /** @param {'process' | 'postgres' | 'redis'} part */
    const perTask = (part) => {
      const [from, to] = [before[part], after[part]];
      return from === undefined || to === undefined ? undefined : ((to - from) * 1_000) / tasks;
    };
    const cpuUsPerTask = { process: perTask('process'), postgres: perTask('postgres'), redis: perTask('redis') };
    const total = Object.values(cpuUsPerTask).reduce((sum, value) => sum + (value ?? 0), 0);
    const result = {
      ...measured,
      cpuUsPerTask: { ...cpuUsPerTask, total },
      // The app or baseline, PostgreSQL and Redis together, over the timed part of the round
      // (the CPU they used just before and after it is small: they were idle).
      serverSideCpuPercent: (total * tasks) / (10 * measured.elapsedSec * 1_000),
      serverRssMb: rss[name].sample(),
    };
    await sleep(run.pauseMs);
    return result;
  };

  const warnings = [];
  /** @type {{ baseline: import('./tasks-report.js').TasksRound[], app: import('./tasks-report.js').TasksRound[] }} */
  const rounds = { baseline: [], app: [] };
  let valid = true;
  /**
   * @param {string} label
   * @param {'baseline' | 'app'} name
   * @param {import('./tasks-report.js').TasksRound} result
   */
  const note = (label, name, result) => {
    progress(`${scenario.name}: ${label} ${name.padEnd(8)} ${describeTasksRound(result)}`);
    if (result.problems.length === 0) return true;
    valid = false;
    warnings.push(`${name}, ${label}: ${result.problems.join('; ')}: the run is not valid`);
    return false;
  };

  /**
   * Batches of tasks until `--warmup` seconds have passed: JIT, pools and caches warm up, and
   * the last batch's rate sizes the measured rounds.
   * @param {'baseline' | 'app'} name
   */
  const warmUp = async (name) => {
    let batch = Math.max(FIRST_WARMUP_BATCH, options.producers);
    let spent = 0;
    let rate = 0;
    while (spent < options.warmup) {
      const result = await round(name, batch);
      if (!note('warm-up', name, result)) break;
      spent += result.elapsedSec;
      rate = result.tasksPerSec;
      batch = Math.min(MAX_TASKS, Math.max(FIRST_WARMUP_BATCH, options.producers, Math.ceil(rate / 100) * 100));
    }
    return rate;
  };

  let tasks = options.tasks ?? DEFAULT_TASKS;
  if (options.warmup > 0) {
    progress(`${scenario.name}: warm-up, ${options.warmup} s per target`);
    settings.warmupRates.baseline = await warmUp('baseline');
    if (valid) settings.warmupRates.app = await warmUp('app');
    if (options.tasks === undefined) {
      // The faster side runs about --duration seconds; the slower one takes longer.
      const fastest = Math.max(settings.warmupRates.baseline, settings.warmupRates.app ?? 0);
      tasks = Math.min(MAX_TASKS, Math.max(200, Math.ceil((fastest * options.duration) / 100) * 100));
    }
  }
  settings.tasks = tasks;
  progress(
    `${scenario.name}: ${tasks} tasks per round, ${options.producers} producers, concurrency ${options.taskConcurrency}`,
  );
  // After a failed warm-up, measuring would only repeat the failure.
  const measuredRounds = valid ? options.rounds : 0;
  measuring: for (let index = 1; index <= measuredRounds; index += 1) {
    for (const name of /** @type {const} */ (['baseline', 'app'])) {
      const result = await round(name, tasks);
      rounds[name].push(result);
      // A stalled or failed round leaves work behind that would spill into the next one.
      if (!note(`round ${index}/${options.rounds}`, name, result)) break measuring;
    }
  }

  const summaries = {
    baseline: summariseTasksTarget('plain BullMQ', rounds.baseline, rss.baseline.stop()),
    app: summariseTasksTarget(appUrl, rounds.app, rss.app.stop()),
  };
  progress(`${scenario.name}: stopping the app, the baseline${redis ? ' and Redis' : ''}`);
  await database.end().catch(() => undefined);
  const [appExit] = await Promise.all([processes.stop(app), processes.stop(baseline)]);
  if (redis) await processes.stop(redis.managed);
  if (appExit.code !== 0) warnings.push(`the app exited with ${appExit.signal ?? `code ${appExit.code}`} on SIGTERM`);
  for (const [name, summary] of Object.entries(summaries)) {
    const idle = summary.rounds.filter((item) => item.serverSideCpuPercent < 85).length;
    if (idle > 0) {
      warnings.push(
        `${name}: in ${idle} of ${summary.rounds.length} rounds the server side (process, PostgreSQL, Redis) ` +
          'used under 85 % of its CPU: it waited on I/O (commits), or other processes on the machine took the CPU',
      );
    }
  }
  const log = await inspectLog(appLog);
  if (log.errors > 0) {
    await copyFile(appLog, run.keptLog);
    warnings.push(`the app logged ${log.errors} error lines: see ${run.keptLog}`);
  }

  const ratio = summaries.app.tasksPerSec.median / Math.max(summaries.baseline.tasksPerSec.median, Number.EPSILON);
  const pairs = Math.min(rounds.app.length, rounds.baseline.length);
  const baselineCpu = summaries.baseline.cpuUsPerTask.total;
  const appCpu = summaries.app.cpuUsPerTask.total;
  return {
    ...record,
    settings,
    finishedAt: new Date().toISOString(),
    machine: { ...run.machine, loadAverageAtEnd: loadAverage() },
    appEnvironment: environmentForTheRecord(appEnv),
    targets: summaries,
    ratio: {
      tasksPerSec: ratio,
      perRound: Array.from(
        { length: pairs },
        (_, index) => rounds.app[index].tasksPerSec / Math.max(rounds.baseline[index].tasksPerSec, Number.EPSILON),
      ),
      cpuPerTask: baselineCpu && appCpu ? baselineCpu / appCpu : undefined,
    },
    target: {
      metric: 'app/baseline tasks/s (medians)',
      min: scenario.targetRatio,
      valid: valid && pairs === options.rounds,
      met: valid && pairs === options.rounds && ratio >= scenario.targetRatio,
    },
    appLog: { lines: log.lines, bytes: log.bytes, errorLines: log.errors },
    warnings,
  };
}
