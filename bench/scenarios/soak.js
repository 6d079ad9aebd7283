import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { APP_MAIN, appEnvironment, inherited, inspectLog, printTail } from '../lib/app.js';
import { adminAccessToken, bearer, signUp } from '../lib/auth.js';
import { runHelper } from '../lib/helper-process.js';
import { loadAverage, pinnedCommand } from '../lib/machine.js';
import { freePort, waitUntilServing } from '../lib/processes.js';
import { readRssKb } from '../lib/rss.js';
import { median } from '../lib/stats.js';
import { alignColumns } from '../lib/table.js';
import { UNIQUE } from '../lib/unique.js';

const NAME = 'soak';
const TITLE = 'Mixed load (reads, writes, tasks) for SOAK_SECONDS: RSS, heap and event-loop delay, start against end';
const HELPER = fileURLToPath(new URL('../lib/mixed-load-worker.js', import.meta.url));
/** Requests a second, all kinds together: the rate issue 13 measured the old build at. */
const RATE = 60;
const SAMPLE_MS = 5_000;
/** RSS may end this much above its start (after the warm-up) and still count as flat. */
const MAX_RSS_GROWTH = 0.1;
const PROFILES = 20;

/**
 * @typedef {object} Sample
 * @property {number} atMs From the start of the load.
 * @property {number | undefined} rssMb From /proc.
 * @property {number | undefined} heapMb From readiness (`checks.pressure.heapUsedBytes`).
 * @property {number | undefined} loopDelayMs Mean event-loop delay over the last second, from readiness.
 */

/** @type {import('./index.js').CustomScenario} */
export default {
  kind: 'custom',
  name: NAME,
  title: TITLE,
  async run(run) {
    const seconds = Number(process.env.SOAK_SECONDS ?? 600);
    if (!Number.isFinite(seconds) || seconds < 30) throw new Error(`SOAK_SECONDS must be 30 or more (got ${seconds})`);
    const startedAt = new Date().toISOString();
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const appLog = join(run.runDir, 'soak-app.log');
    const env = appEnvironment({
      port,
      databaseUrl: run.databaseUrl,
      // API and worker in one process: its RSS is all the app's memory. Registrations are part of the mix.
      extra: { APP_ROLE: 'all', THROTTLE_AUTH_LIMIT: '1000000000', HEALTH_DETAILS_ACCESS: 'public' },
      appEnv: run.options.appEnv,
    });
    run.progress(`soak: starting the app; ${seconds} s of mixed load at ${RATE} requests/s`);
    const app = run.processes.start('app', pinnedCommand(run.pinning, 'server', process.execPath, [APP_MAIN]), {
      env: { ...inherited(), ...env },
      cwd: run.runDir,
      logFile: appLog,
    });
    try {
      await waitUntilServing(`${appUrl}/health/live`, app, { timeoutMs: run.startupTimeoutMs });
      const requests = await mixedRequests(appUrl, run.databaseUrl);
      /** @type {Sample[]} */
      const samples = [];
      const loadStart = Date.now();
      const takeSample = () => void sample(appUrl, app.pid, Date.now() - loadStart).then((item) => samples.push(item));
      takeSample();
      const sampler = setInterval(takeSample, SAMPLE_MS);
      const window = Math.max(10, Math.min(60, seconds / 5)) * 1_000;
      /** @type {import('../lib/mixed-load-worker.js').MixedLoadResult} */
      const load = await runHelper(
        run,
        HELPER,
        'mixed load',
        { url: appUrl, rate: RATE, durationMs: seconds * 1_000, bucketMs: window, requests },
        seconds * 1_000 + 120_000,
      ).finally(() => clearInterval(sampler));
      takeSample();
      // The last readiness answer, still in flight.
      await sleep(1_000);
      const summary = summarise(samples, load, seconds * 1_000, window);
      const log = await inspectLog(appLog);
      const warnings = [];
      if (log.errors > 0) {
        await copyFile(appLog, run.keptLog);
        warnings.push(`the app logged ${log.errors} error lines (log kept at ${run.keptLog})`);
      }
      if (summary.failed > 0) warnings.push(`${summary.failed} requests were not answered 2xx`);
      return {
        kind: 'custom',
        scenario: { name: NAME, title: TITLE },
        startedAt,
        finishedAt: new Date().toISOString(),
        settings: { seconds, rate: RATE, sampleMs: SAMPLE_MS, windowMs: window },
        machine: { ...run.machine, loadAverageAtEnd: loadAverage() },
        pinning: run.pinning,
        samples,
        load,
        summary,
        terminal: report(summary, seconds, warnings).join('\n'),
        markdown: [`## ${NAME}`, '', TITLE, '', '```', ...report(summary, seconds, warnings), '```', ''],
        warnings,
      };
    } catch (error) {
      await printTail(appLog, 'app log');
      throw error;
    } finally {
      await run.processes.stop(app);
    }
  },
};

/**
 * The mix, per round of 20 requests: 9 reads, 2 profile writes, 7 task submissions, one
 * registration and one liveness probe. The writes go to 20 profiles in turn, by an admin: writes
 * to one profile that overlap answer 412 (the update compares versions).
 * @param {string} appUrl
 * @param {string} databaseUrl
 * @returns {Promise<import('../lib/mixed-load-worker.js').MixedRequest[]>}
 */
async function mixedRequests(appUrl, databaseUrl) {
  const account = await signUp(appUrl);
  const auth = bearer(account.accessToken);
  const profiles = [account.userId];
  while (profiles.length < PROFILES) profiles.push((await signUp(appUrl)).userId);
  const admin = { ...bearer(await adminAccessToken(appUrl, databaseUrl)), 'content-type': 'application/json' };
  return [
    { name: 'GET /v1/tasks', weight: 4, method: 'GET', path: '/v1/tasks?limit=20', headers: auth },
    { name: 'GET /v1/users/:id', weight: 3, method: 'GET', path: `/v1/users/${account.userId}`, headers: auth },
    { name: 'GET /v1/auth/me', weight: 2, method: 'GET', path: '/v1/auth/me', headers: auth },
    {
      name: 'PATCH /v1/users/:id',
      weight: 2,
      method: 'PATCH',
      path: `/v1/users/${account.userId}`,
      paths: profiles.map((id) => `/v1/users/${id}`),
      headers: admin,
      body: JSON.stringify({ name: `Soak ${UNIQUE}` }),
    },
    {
      name: 'POST /v1/tasks',
      weight: 7,
      method: 'POST',
      path: '/v1/tasks',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'tasks.echo', payload: { message: `soak ${UNIQUE}` } }),
    },
    {
      name: 'POST /v1/auth/signup',
      weight: 1,
      method: 'POST',
      path: '/v1/auth/signup',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `soak-${UNIQUE}@example.com`, name: 'Soak', password: `soak password ${UNIQUE}` }),
    },
    { name: 'GET /health/live', weight: 1, method: 'GET', path: '/health/live' },
  ];
}

/**
 * @param {string} appUrl
 * @param {number} pid
 * @param {number} atMs
 * @returns {Promise<Sample>}
 */
async function sample(appUrl, pid, atMs) {
  const kb = readRssKb(pid);
  /** @type {{ eventLoopDelayMs?: number | null, heapUsedBytes?: number } | undefined} */
  let pressure;
  try {
    const response = await fetch(`${appUrl}/health/ready`, { signal: AbortSignal.timeout(5_000) });
    pressure = (await response.json())?.checks?.pressure;
  } catch {
    pressure = undefined;
  }
  return {
    atMs,
    rssMb: kb === undefined ? undefined : kb / 1024,
    heapMb: pressure?.heapUsedBytes === undefined ? undefined : pressure.heapUsedBytes / 1024 ** 2,
    loopDelayMs: pressure?.eventLoopDelayMs ?? undefined,
  };
}

/**
 * The median of one figure over some samples: single samples jump with GC.
 * @param {Sample[]} chosen
 * @param {'rssMb' | 'heapMb' | 'loopDelayMs'} key
 */
function figure(chosen, key) {
  const values = chosen.flatMap((item) => (item[key] === undefined ? [] : [/** @type {number} */ (item[key])]));
  return values.length > 0 ? median(values) : undefined;
}

/** @param {number | undefined} number */
const value = (number) => (number === undefined ? 'n/a' : number.toFixed(1));

/**
 * Start is the median of the samples in the first window after a warm-up of half a window;
 * end the median of the last window.
 * @param {Sample[]} samples
 * @param {import('../lib/mixed-load-worker.js').MixedLoadResult} load
 * @param {number} durationMs
 * @param {number} window
 */
function summarise(samples, load, durationMs, window) {
  const inRange = (/** @type {number} */ from, /** @type {number} */ to) =>
    samples.filter((item) => item.atMs >= from && item.atMs < to);
  const startSamples = inRange(window / 2, window * 1.5);
  const endSamples = inRange(durationMs - window, Infinity);
  const [first, last] = [load.buckets[1] ?? load.buckets[0], load.buckets.at(-1)];
  let failed = 0;
  let answered = 0;
  for (const bucket of load.buckets) {
    for (const item of Object.values(bucket.kinds)) {
      failed += item.count - item.ok;
      answered += item.ok;
    }
  }
  const rows = /** @type {const} */ ([
    ['RSS MB', 'rssMb'],
    ['heap used MB', 'heapMb'],
    ['event-loop delay ms (readiness, mean of 1 s)', 'loopDelayMs'],
  ]).map(([label, key]) => ({ label, start: figure(startSamples, key), end: figure(endSamples, key) }));
  const probe = {
    label: 'GET /health/live p99 ms (load helper)',
    start: first?.kinds['GET /health/live']?.p99,
    end: last?.kinds['GET /health/live']?.p99,
  };
  const submit = {
    label: 'POST /v1/tasks p99 ms',
    start: first?.kinds['POST /v1/tasks']?.p99,
    end: last?.kinds['POST /v1/tasks']?.p99,
  };
  const rss = rows[0];
  const growth = rss.start === undefined || rss.end === undefined ? undefined : (rss.end - rss.start) / rss.start;
  const peakRssMb = Math.max(...samples.flatMap((item) => (item.rssMb === undefined ? [] : [item.rssMb])));
  return { rows: [...rows, probe, submit], rssGrowth: growth, peakRssMb, answered, failed };
}

/**
 * @param {ReturnType<typeof summarise>} summary
 * @param {number} seconds
 * @param {string[]} warnings
 */
function report(summary, seconds, warnings) {
  const table = alignColumns([
    ['', 'start', 'end', 'growth'],
    ...summary.rows.map(({ label, start, end }) => [
      label,
      value(start),
      value(end),
      start === undefined || end === undefined ? 'n/a' : `${end >= start ? '+' : ''}${(end - start).toFixed(1)}`,
    ]),
  ]);
  const growth = summary.rssGrowth;
  const verdict =
    growth === undefined
      ? 'RSS not measured (not Linux?)'
      : `RSS ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} % from start to end (peak ${summary.peakRssMb.toFixed(1)} MB): ` +
        (growth <= MAX_RSS_GROWTH ? 'flat' : `GROWING (more than ${MAX_RSS_GROWTH * 100} %)`);
  return [
    `${NAME}: ${TITLE}`,
    `${seconds} s at ${RATE} requests/s: ${summary.answered} answered 2xx, ${summary.failed} not`,
    ...table,
    verdict,
    ...warnings.map((warning) => `warning: ${warning}`),
  ];
}
