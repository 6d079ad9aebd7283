import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { APP_MAIN, appEnvironment, inherited, inspectLog, printTail } from '../lib/app.js';
import { bearer, signUp } from '../lib/auth.js';
import { runHelper } from '../lib/helper-process.js';
import { runLoad } from '../lib/load.js';
import { loadAverage, pinnedCommand } from '../lib/machine.js';
import { cpuTimeMs, freePort, waitUntilServing } from '../lib/processes.js';
import {
  IN_FLIGHT,
  MAX_CPU_MS_PER_REQUEST,
  MAX_LIVE_P99_MS,
  markdownReport,
  terminalReport,
} from '../lib/hostile-report.js';

const KEYS = 60_000;
/** Sent one at a time to measure the CPU each costs, after as many unmeasured ones. */
const SEQUENTIAL = 10;

/**
 * Each variant is a fresh app: the first with the defaults, the others with the limits that
 * stop the body earlier raised, so that every later stage of the pipeline is measured too.
 */
const VARIANTS = [
  { name: 'defaults', env: {}, stops: 'TASK_BODY_LIMIT (256 KiB): 413 from Content-Length', target: true },
  {
    name: 'body read',
    env: { TASK_BODY_LIMIT: '1mb' },
    stops: 'JSON_MAX_KEYS (1,000): 400 from the scan of the text',
    target: true,
  },
  {
    name: 'accepted',
    env: { TASK_BODY_LIMIT: '1mb', JSON_MAX_KEYS: '100000' },
    stops: 'nothing: parsed, validated (@OpenJson), stored as jsonb, 202; a reference, no target',
    target: false,
  },
];

/**
 * The body of issue 13: a webhook delivery whose open `payload.body` has 60,000 keys, just
 * under 1 MiB (BODY_LIMIT). Before the JSON limits it held the event loop for ~14 s.
 * @param {string} endpointId
 */
function hostileBody(endpointId) {
  const keys = Array.from({ length: KEYS }, (_, i) => `"k${String(i).padStart(5, '0')}":"v${i % 10_000}"`);
  return `{"type":"webhooks.deliver","payload":{"endpointId":"${endpointId}","eventType":"bench.hostile","payload":{"body":{${keys.join(',')}}}}}`;
}

const NAME = 'hostile-body';
const TITLE = `POST /v1/tasks with a 60,000-key payload (~1 MB): server CPU per request, and GET /health/live p99 while ${IN_FLIGHT} are in flight`;

/** @type {import('./index.js').CustomScenario} */
export default {
  kind: 'custom',
  name: NAME,
  title: TITLE,
  async run(run) {
    const startedAt = new Date().toISOString();
    const settings = { duration: run.options.duration, inFlight: IN_FLIGHT, keys: KEYS, sequential: SEQUENTIAL };
    /** @type {import('../lib/hostile-report.js').HostileVariantResult[]} */
    const variants = [];
    const warnings = [];
    for (const variant of VARIANTS) {
      const { result, warnings: own } = await runVariant(run, variant);
      variants.push(result);
      warnings.push(...own.map((warning) => `${variant.name}: ${warning}`));
    }
    return {
      kind: 'custom',
      scenario: { name: NAME, title: TITLE },
      startedAt,
      finishedAt: new Date().toISOString(),
      settings,
      machine: { ...run.machine, loadAverageAtEnd: loadAverage() },
      pinning: run.pinning,
      variants,
      terminal: terminalReport(NAME, TITLE, variants, warnings),
      markdown: markdownReport(NAME, TITLE, variants, warnings),
      warnings,
    };
  },
};

/**
 * @param {import('./index.js').CustomRun} run
 * @param {(typeof VARIANTS)[number]} variant
 * @returns {Promise<{ result: import('../lib/hostile-report.js').HostileVariantResult, warnings: string[] }>}
 */
async function runVariant(run, variant) {
  const { processes, pinning, progress } = run;
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const appLog = join(run.runDir, `hostile-body-${variant.name.replace(/\W/g, '-')}-app.log`);
  const env = appEnvironment({
    port,
    databaseUrl: run.databaseUrl,
    // API only: an accepted delivery is stored and queued, not sent; the receiver would not exist.
    extra: { APP_ROLE: 'api', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_REQUIRE_HTTPS: 'false', ...variant.env },
    appEnv: run.options.appEnv,
  });
  progress(`hostile-body: ${variant.name}: starting the app (${JSON.stringify(variant.env)})`);
  const app = processes.start('app', pinnedCommand(pinning, 'server', process.execPath, [APP_MAIN]), {
    env: { ...inherited(), ...env },
    cwd: run.runDir,
    logFile: appLog,
  });
  const warnings = [];
  try {
    await waitUntilServing(`${appUrl}/health/live`, app, { timeoutMs: run.startupTimeoutMs });
    const headers = { ...(await webhookSender(appUrl, run.databaseUrl)), 'content-type': 'application/json' };
    const body = hostileBody((await registerEndpoint(appUrl, headers)).id);
    const hostile = { url: `${appUrl}/v1/tasks`, method: 'POST', headers, body, pipelining: 1 };

    progress(`hostile-body: ${variant.name}: ${SEQUENTIAL} hostile requests to warm up, ${SEQUENTIAL} measured`);
    const limitMs = 120_000;
    await runLoad(processes, pinning, { ...hostile, connections: 1, amount: SEQUENTIAL, limitMs });
    const cpuBefore = cpuTimeMs(app.pid);
    const sequential = await runLoad(processes, pinning, { ...hostile, connections: 1, amount: SEQUENTIAL, limitMs });
    const cpuAfter = cpuTimeMs(app.pid);
    // Per answered request: a connection the app closes after an error answer fails the next send.
    const answered = Object.values(sequential.statusCodes).reduce((sum, count) => sum + count, 0);
    const cpuMsPerRequest =
      cpuBefore === undefined || cpuAfter === undefined || answered === 0
        ? undefined
        : (cpuAfter - cpuBefore) / answered;

    const probe = { mode: 'probe', url: `${appUrl}/health/live`, durationMs: run.options.duration * 1_000 };
    progress(`hostile-body: ${variant.name}: GET /health/live alone, ${run.options.duration} s`);
    const idle = await helper(run, probe);
    progress(`hostile-body: ${variant.name}: the same, with waves of ${IN_FLIGHT} hostile requests at once`);
    const bodyFile = join(run.runDir, 'hostile-body.json');
    await writeFile(bodyFile, body);
    const [probed, attack] = await Promise.all([
      helper(run, probe),
      helper(run, {
        ...probe,
        mode: 'waves',
        url: hostile.url,
        headers,
        bodyFile,
        concurrency: IN_FLIGHT,
        pauseMs: 250,
      }),
    ]);
    // Only the probes sent while a wave was in flight: between waves the app is idle.
    const during = probed.samples.filter(([at]) => attack.waves.some(([start, end]) => at >= start && at <= end));
    const failed = probed.samples.filter(([, , status]) => status !== 200).length;
    if (failed > 0) warnings.push(`GET /health/live failed ${failed} times while attacked`);
    const log = await inspectLog(appLog);
    if (log.errors > 0) {
      await copyFile(appLog, run.keptLog.replace(/\.log$/, `-${variant.name.replace(/\W/g, '-')}.log`));
      warnings.push(`the app logged ${log.errors} error lines (log kept in bench/results/)`);
    }
    return {
      result: {
        name: variant.name,
        stops: variant.stops,
        env: variant.env,
        statusCodes: sequential.statusCodes,
        socketErrors: sequential.errors,
        cpuMsPerRequest,
        liveIdle: latencies(idle.samples),
        liveUnderAttack: latencies(during),
        attack: { waves: attack.waves.length, statusCodes: attack.statusCodes },
        met: variant.target
          ? {
              cpu: cpuMsPerRequest !== undefined && cpuMsPerRequest < MAX_CPU_MS_PER_REQUEST,
              p99: latencies(during).p99 < MAX_LIVE_P99_MS,
            }
          : undefined,
      },
      warnings,
    };
  } catch (error) {
    await printTail(appLog, 'app log');
    throw error;
  } finally {
    await processes.stop(app);
  }
}

/**
 * A verified account (outbound task types need one; set in the database, as the emailed code
 * would), signed in: the headers of its requests.
 * @param {string} appUrl
 * @param {string} databaseUrl
 */
async function webhookSender(appUrl, databaseUrl) {
  const account = await signUp(appUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [account.userId]);
  } finally {
    await client.end();
  }
  return bearer(account.accessToken);
}

/**
 * An endpoint the deliveries name; nothing listens there, and with APP_ROLE=api nothing is sent.
 * @param {string} appUrl
 * @param {Record<string, string>} headers
 * @returns {Promise<{ id: string }>}
 */
async function registerEndpoint(appUrl, headers) {
  const response = await fetch(`${appUrl}/v1/webhooks/endpoints`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ url: 'http://127.0.0.1:9/hostile-body', description: 'bench' }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /v1/webhooks/endpoints answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

const HELPER = fileURLToPath(new URL('../lib/hostile-worker.js', import.meta.url));

/**
 * Runs one job of lib/hostile-worker.js on the load CPU and returns its answer.
 * @param {import('./index.js').CustomRun} run
 * @param {import('../lib/hostile-worker.js').HostileJob} job
 * @returns {Promise<any>}
 */
function helper(run, job) {
  return runHelper(run, HELPER, `hostile ${job.mode}`, job, job.durationMs + 60_000);
}

/**
 * Nearest-rank percentiles of the probe's latencies, in whole ms like autocannon's.
 * @param {[number, number, number][]} samples
 */
function latencies(samples) {
  const sorted = samples.map(([, latency]) => latency).sort((a, b) => a - b);
  const at = (/** @type {number} */ share) =>
    Math.round(sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? 0);
  return { p50: at(0.5), p99: at(0.99), max: at(1), requests: sorted.length };
}
