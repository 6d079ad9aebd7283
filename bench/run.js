/**
 * `npm run bench`: the production build of the app against a plain Fastify baseline, loaded in
 * alternating rounds so that whatever else the machine is doing hits both targets alike.
 * See bench/README.md.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import {
  APP_MAIN,
  ROOT,
  appEnvironment,
  environmentForTheRecord,
  inherited,
  inspectLog,
  printTail,
} from './lib/app.js';
import { Harness } from './lib/harness.js';
import { runLoad } from './lib/load.js';
import { loadAverage, machineFacts, pinSelf, pinnedCommand, planPinning } from './lib/machine.js';
import { parseOptions, USAGE } from './lib/options.js';
import { startPostgres } from './lib/postgres.js';
import { cpuTimeMs, freePort, waitUntilServing } from './lib/processes.js';
import { describeSettings, formatForTerminal, formatMarkdown, summariseTarget, writeJson } from './lib/report.js';
import { RssSampler } from './lib/rss.js';
import { runTasksScenario } from './lib/tasks.js';
import { fillUnique, uniqueTokens } from './lib/unique.js';
import { findScenario } from './scenarios/index.js';

const BASELINE_MAIN = join(ROOT, 'bench', 'baseline-server.js');
const RESULTS = join(ROOT, 'bench', 'results');
const STARTUP_TIMEOUT_MS = 90_000;
// Lets sockets in TIME_WAIT, GC and the other target's leftovers settle between rounds.
const PAUSE_BETWEEN_ROUNDS_MS = 1_000;

const harness = new Harness('bench');
const { guardian, processes, progress } = harness;
/** @type {string | undefined} */
let runDir;

/** @param {string} text */
const print = (text) => process.stdout.write(`${text}\n`);

async function main() {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options.help) {
    print(USAGE);
    return;
  }
  const scenarios = options.scenarios.map(findScenario);
  if (!existsSync(APP_MAIN)) throw new Error(`${APP_MAIN} is missing: run npm run build first (npm run bench does)`);

  const machine = machineFacts();
  let pinning = planPinning(machine, options.pin);
  try {
    pinSelf(pinning);
  } catch (error) {
    pinning = { enabled: false, description: `not pinned (taskset failed: ${String(error)})` };
  }
  const settings = {
    duration: options.duration,
    rounds: options.rounds,
    warmup: options.warmup,
    connections: options.connections,
    pipelining: options.pipelining,
  };
  print(`Node ${machine.node} | ${machine.cpuModel} | ${machine.cores} cores | ${machine.platform}`);
  print(`Pinning: ${pinning.description}`);
  if (scenarios.some((scenario) => scenario.kind !== 'tasks')) print(`Load: ${describeSettings(settings)}`);
  if (scenarios.some((scenario) => scenario.kind === 'tasks')) {
    print(
      `Tasks: ${options.tasks ?? 'sized from the warm-up'} per round, ${options.rounds} rounds, ` +
        `${options.producers} producers, worker concurrency ${options.taskConcurrency}`,
    );
  }
  print(`Load average at start: ${machine.loadAverageAtStart.join(' / ')}`);

  runDir = harness.scratchDir('nest-bench-run-');
  progress('starting PostgreSQL (throw-away cluster)');
  const postgres = harness.own(await startPostgres((message) => progress(`postgres: ${message}`), guardian));

  const runAt = new Date();
  const stamp = runAt.toISOString().replace(/[:.]/g, '-');
  await mkdir(RESULTS, { recursive: true });
  const results = [];
  for (const scenario of scenarios) {
    const run = {
      options,
      settings,
      machine,
      pinning,
      databaseUrl: postgres.url,
      keptLog: join(RESULTS, `${stamp}-${scenario.name}-app.log`),
    };
    const shared = {
      processes,
      runDir: /** @type {string} */ (runDir),
      progress,
      startupTimeoutMs: STARTUP_TIMEOUT_MS,
    };
    let result;
    if (scenario.kind === 'custom') result = await scenario.run({ ...run, ...shared });
    else if (scenario.kind === 'tasks') {
      result = await runTasksScenario(scenario, { ...run, ...shared, postgres, pauseMs: PAUSE_BETWEEN_ROUNDS_MS });
    } else result = await runScenario(scenario, run);
    print(formatForTerminal(result));
    const file = join(RESULTS, `${stamp}-${scenario.name}.json`);
    await writeJson(file, result);
    progress(`wrote ${file}`);
    results.push(result);
  }
  const markdown = join(RESULTS, 'latest.md');
  await writeFile(markdown, formatMarkdown(results, runAt.toISOString()));
  progress(`wrote ${markdown}`);
}

/**
 * @param {import('./scenarios/index.js').Scenario} scenario
 * @param {{
 *   options: import('./lib/options.js').BenchOptions,
 *   settings: object,
 *   machine: import('./lib/machine.js').MachineFacts,
 *   pinning: import('./lib/machine.js').Pinning,
 *   databaseUrl: string,
 *   keptLog: string,
 * }} run
 * @returns {Promise<import('./lib/report.js').ScenarioResult>}
 */
async function runScenario(scenario, { options, settings, machine, pinning, databaseUrl, keptLog }) {
  const startedAt = new Date().toISOString();
  const dir = /** @type {string} */ (runDir);
  const [appPort, baselinePort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  const baselineUrl = `http://127.0.0.1:${baselinePort}`;
  const appLog = join(dir, `${scenario.name}-app.log`);
  const appEnv = appEnvironment({ port: appPort, databaseUrl, appEnv: options.appEnv });

  progress(`${scenario.name}: starting the app (dist/main.js, NODE_ENV=production) and the baseline`);
  // A clean environment and a scratch working directory, so that neither the caller's shell
  // variables nor a developer's .env file change what is measured.
  const app = processes.start('app', pinnedCommand(pinning, 'server', process.execPath, [APP_MAIN]), {
    env: { ...inherited(), ...appEnv },
    cwd: dir,
    logFile: appLog,
  });
  const baseline = processes.start(
    'baseline',
    pinnedCommand(pinning, 'server', process.execPath, [BASELINE_MAIN, scenario.name]),
    {
      env: { ...inherited(), HOST: '127.0.0.1', PORT: String(baselinePort), DATABASE_URL: databaseUrl },
      logFile: join(dir, `${scenario.name}-baseline.log`),
    },
  );
  try {
    await Promise.all([
      waitUntilServing(`${appUrl}/health/live`, app, { timeoutMs: STARTUP_TIMEOUT_MS }),
      waitUntilServing(baselineUrl, baseline, { timeoutMs: STARTUP_TIMEOUT_MS, anyStatus: true }),
    ]);
  } catch (error) {
    await printTail(appLog, 'app log');
    await copyFile(appLog, keptLog).catch(() => undefined);
    throw error;
  }
  const rss = { app: new RssSampler(app.pid).start(), baseline: new RssSampler(baseline.pid).start() };

  const prepared = (await scenario.prepare?.({ databaseUrl, appUrl, baselineUrl })) ?? {};
  const appRequest = prepared.app ?? scenario.app;
  const baselineRequest = prepared.baseline ?? scenario.baselineRequest ?? appRequest;
  const warnings = [];
  const mismatch = await compareResponses(appUrl, appRequest, baselineUrl, baselineRequest, scenario.comparable);
  if (mismatch) warnings.push(mismatch);

  const targets = {
    baseline: { managed: baseline, url: baselineUrl, request: baselineRequest },
    app: { managed: app, url: appUrl, request: appRequest },
  };
  /**
   * @param {'baseline' | 'app'} name
   * @param {number} duration
   */
  const round = async (name, duration) => {
    const { managed, url, request } = targets[name];
    if (managed.hasExited) throw new Error(`${managed.name} exited during the run`);
    const cpuBefore = cpuTimeMs(managed.pid);
    const startedAtMs = performance.now();
    const result = await runLoad(processes, pinning, {
      ...request,
      url: `${url}${request.path}`,
      connections: options.connections,
      pipelining: options.pipelining,
      duration,
    });
    const cpuAfter = cpuTimeMs(managed.pid);
    if (cpuBefore !== undefined && cpuAfter !== undefined) {
      result.serverCpuPercent = ((cpuAfter - cpuBefore) / (performance.now() - startedAtMs)) * 100;
      // Unlike req/s, CPU time per request hardly moves when other processes take turns on the core.
      result.serverCpuUsPerRequest = ((cpuAfter - cpuBefore) * 1_000) / Math.max(result.requests, 1);
    }
    // One figure per round: RSS that climbs round after round, rather than levelling off, is a leak.
    result.serverRssMb = rss[name].sample();
    await sleep(PAUSE_BETWEEN_ROUNDS_MS);
    return result;
  };

  if (options.warmup > 0) {
    progress(`${scenario.name}: warm-up, ${options.warmup} s per target`);
    await round('baseline', options.warmup);
    await round('app', options.warmup);
  }
  /** @type {{ baseline: import('./lib/load.js').RoundResult[], app: import('./lib/load.js').RoundResult[] }} */
  const rounds = { baseline: [], app: [] };
  for (let index = 1; index <= options.rounds; index += 1) {
    for (const name of /** @type {const} */ (['baseline', 'app'])) {
      const result = await round(name, options.duration);
      rounds[name].push(result);
      progress(
        `${scenario.name}: round ${index}/${options.rounds} ${name.padEnd(8)} ${Math.round(result.reqPerSec)} req/s, ` +
          `p99 ${result.latencyMs.p99} ms, server CPU ${percent(result.serverCpuPercent)} (${result.serverCpuUsPerRequest?.toFixed(1) ?? 'n/a'} us/req), ` +
          `load CPU ${percent(result.loadCpuPercent)}, server RSS ${result.serverRssMb ?? 'n/a'} MB`,
      );
    }
  }

  const summaries = {
    baseline: summariseTarget(baselineUrl + describePath(baselineRequest), rounds.baseline, rss.baseline.stop()),
    app: summariseTarget(appUrl + describePath(appRequest), rounds.app, rss.app.stop()),
  };
  progress(`${scenario.name}: stopping the app and the baseline`);
  const [appExit] = await Promise.all([processes.stop(app), processes.stop(baseline)]);
  if (appExit.code !== 0) warnings.push(`the app exited with ${appExit.signal ?? `code ${appExit.code}`} on SIGTERM`);

  for (const [name, summary] of Object.entries(summaries)) {
    if (summary.failed > 0) {
      // Only 2xx count in req/s, but a side that also answered 409 or 429 did other work than
      // the one measured: the run is not a valid comparison (the verdict says so too).
      warnings.push(
        `${name}: ${summary.failed} requests failed (${describeFailures(summary.rounds)}): the run is not valid`,
      );
    }
    const idle = summary.rounds.filter(
      (item) => item.serverCpuPercent !== undefined && item.serverCpuPercent < 80 && item.loadCpuPercent < 90,
    ).length;
    if (idle > 0) {
      warnings.push(
        `${name}: in ${idle} of ${summary.rounds.length} rounds the server used under 80 % of a core while the ` +
          'load generator had room to spare: it waited on I/O, or other processes on the machine took the CPU',
      );
    }
    const busiest = Math.max(...summary.rounds.map((item) => item.loadCpuPercent));
    if (busiest > 90) {
      warnings.push(
        `${name}: the load generator used ${Math.round(busiest)} % of its core, so it may have set the pace; ` +
          'req/s is a lower bound',
      );
    }
  }
  // The log lives in the scratch directory, which goes at the end; keep it only when it matters.
  const log = await inspectLog(appLog);
  if (log.errors > 0) {
    await copyFile(appLog, keptLog);
    warnings.push(`the app logged ${log.errors} error lines: see ${keptLog}`);
  }

  const ratioOf = (/** @type {number} */ index) =>
    rounds.app[index].reqPerSec / Math.max(rounds.baseline[index].reqPerSec, Number.EPSILON);
  const ratio = summaries.app.reqPerSec.median / Math.max(summaries.baseline.reqPerSec.median, Number.EPSILON);
  const valid = summaries.app.failed === 0 && summaries.baseline.failed === 0;
  const p99 =
    scenario.maxP99Ms === undefined
      ? undefined
      : { max: scenario.maxP99Ms, met: summaries.app.latencyMs.p99 < scenario.maxP99Ms };
  return {
    scenario: {
      name: scenario.name,
      title: scenario.title,
      app: forTheRecord(appRequest),
      baseline: forTheRecord(baselineRequest),
    },
    startedAt,
    finishedAt: new Date().toISOString(),
    settings,
    machine: { ...machine, loadAverageAtEnd: loadAverage() },
    pinning,
    appEnvironment: environmentForTheRecord(appEnv),
    targets: summaries,
    ratio: {
      reqPerSec: ratio,
      perRound: rounds.app.map((_, index) => ratioOf(index)),
      cpuPerRequest: cpuRatio(summaries.baseline, summaries.app),
    },
    target: {
      metric: 'app/baseline req/s (medians)',
      min: scenario.targetRatio,
      p99Ms: p99,
      valid,
      met: valid && ratio >= scenario.targetRatio && (p99?.met ?? true),
    },
    appLog: { lines: log.lines, bytes: log.bytes, errorLines: log.errors },
    warnings,
  };
}

/**
 * One request to each side before loading them: a baseline that answers something else than the
 * app would make the comparison meaningless.
 * @param {string} appUrl
 * @param {import('./scenarios/index.js').HttpRequest} appRequest
 * @param {string} baselineUrl
 * @param {import('./scenarios/index.js').HttpRequest} baselineRequest
 * @param {(body: unknown) => unknown} [comparable] The part of the body that must match.
 */
async function compareResponses(appUrl, appRequest, baselineUrl, baselineRequest, comparable = (body) => body) {
  const [app, baseline] = await Promise.all([send(appUrl, appRequest), send(baselineUrl, baselineRequest)]);
  if (app.status === baseline.status && isDeepStrictEqual(comparable(app.body), comparable(baseline.body))) {
    return undefined;
  }
  return (
    `the responses differ: app ${app.status} ${JSON.stringify(app.body)}, ` +
    `baseline ${baseline.status} ${JSON.stringify(baseline.body)}`
  );
}

const checkTokens = uniqueTokens();

/**
 * @param {string} base
 * @param {import('./scenarios/index.js').HttpRequest} request
 */
async function send(base, request) {
  const response = await fetch(`${base}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body === undefined ? undefined : fillUnique(request.body, checkTokens()),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/**
 * A request as the result file records it: a list of 10,000 paths would swamp it, and an access
 * token is a credential.
 * @param {import('./scenarios/index.js').HttpRequest} request
 */
function forTheRecord(request) {
  const { paths, headers, ...rest } = request;
  const recorded = { ...rest, ...(headers && { headers: maskCredentials(headers) }) };
  return paths ? { ...recorded, paths: { count: paths.length, first: paths.slice(0, 3) } } : recorded;
}

/** @param {Record<string, string>} headers */
function maskCredentials(headers) {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, name.toLowerCase() === 'authorization' ? '***' : value]),
  );
}

/** @param {import('./scenarios/index.js').HttpRequest} request */
function describePath(request) {
  return request.paths ? `${request.path} (and the rest of ${request.paths.length} paths in turn)` : request.path;
}

/**
 * `409: 120, errors: 3`, over all rounds.
 * @param {import('./lib/load.js').RoundResult[]} rounds
 */
function describeFailures(rounds) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  const add = (/** @type {string} */ key, /** @type {number} */ count) => {
    if (count > 0) counts.set(key, (counts.get(key) ?? 0) + count);
  };
  for (const round of rounds) {
    for (const [code, count] of Object.entries(round.statusCodes)) if (!code.startsWith('2')) add(code, count);
    // autocannon counts a timeout as an error too.
    add('socket errors', round.errors - round.timeouts);
    add('timeouts', round.timeouts);
  }
  return [...counts].map(([key, count]) => `${key}: ${count}`).join(', ') || 'non-2xx';
}

/**
 * Baseline CPU per request over the app's: the req/s ratio the app would reach if both had the
 * core to themselves. A cross-check on the headline ratio when the machine is busy.
 * @param {import('./lib/report.js').TargetSummary} baseline
 * @param {import('./lib/report.js').TargetSummary} app
 */
function cpuRatio(baseline, app) {
  if (baseline.cpuUsPerRequest === undefined || app.cpuUsPerRequest === undefined) return undefined;
  return baseline.cpuUsPerRequest / app.cpuUsPerRequest;
}

/** @param {number | undefined} value */
function percent(value) {
  return value === undefined ? 'n/a' : `${Math.round(value)} %`;
}

harness.run(main);
