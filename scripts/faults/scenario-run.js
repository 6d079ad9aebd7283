import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { appEnvironment, inherited, inspectLog, printTail } from '../../bench/lib/app.js';
import { freePort } from '../../bench/lib/processes.js';
import { startRedis } from '../../bench/lib/redis.js';
import { burst, prepareClients, runLoad } from './load.js';
import { misses, outcome, reconciled, waitToSettle } from './outcome.js';
import { WebhookReceiver } from './receiver.js';
import { inject } from './scenarios.js';
import { startApp } from './stack.js';

const CLIENTS = 4;
/** One-second tasks sent at once this long before the fault: 10 s of work for a worker of TASK_CONCURRENCY 10. */
const BURST = 100;
const BURST_LEAD_S = 2;

/**
 * @typedef {object} Suite What every scenario shares.
 * @property {import('./options.js').FaultOptions} options
 * @property {import('./stack.js').Cluster} cluster
 * @property {import('../../bench/lib/processes.js').ProcessGroup} processes
 * @property {string} runDir
 * @property {string} keepDir Where the logs of a scenario that missed a target are copied.
 * @property {(message: string) => void} progress
 */

/**
 * @typedef {object} ScenarioResult
 * @property {string} name
 * @property {string} backend
 * @property {string} description
 * @property {{ startedAt: number, downAt: number, endedAt: number }} window Epoch ms.
 * @property {import('./outcome.js').Outcome} outcome
 * @property {{ requeued: number, abandoned: number }} reconciled
 * @property {string | undefined} persistence What readiness said about Redis before the fault.
 * @property {number} settleSeconds How long after the load everything took to settle (or the bound).
 * @property {number} errorLines Log lines at level error or above, all processes.
 * @property {string[]} misses
 */

/**
 * A fresh database (and Redis, receiver, API and worker) per scenario: steady load, the fault at
 * a fixed time, then the wait for everything to settle, and the count.
 * @param {Suite} suite
 * @param {import('./scenarios.js').Scenario} scenario
 * @param {number} index
 * @returns {Promise<ScenarioResult>}
 */
export async function runScenario(suite, scenario, index) {
  const { options, cluster, processes, progress } = suite;
  const { fault, backend } = scenario;
  const say = (/** @type {string} */ message) => progress(`${scenario.name}: ${message}`);
  const dir = await mkdtemp(join(suite.runDir, `${index}-`));
  const databaseUrl = await cluster.database(`faults_${index}`);
  const receiver = await WebhookReceiver.start();
  /** @type {import('../../bench/lib/processes.js').Managed[]} */
  const started = [];
  const logs = [];
  try {
    const redisOptions = { dir, env: inherited(), appendOnly: fault.appendOnly ?? false };
    let redis = backend === 'redis' ? await startRedis(processes, redisOptions) : undefined;
    if (redis) started.push(redis.managed);
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const env = appEnvironment({
      port,
      databaseUrl,
      extra: {
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_REQUIRE_HTTPS: 'false',
        THROTTLE_AUTH_LIMIT: '1000000000',
        HEALTH_DETAILS_ACCESS: 'public',
        MAIL_DIR: join(dir, 'mail'),
        ...(redis && { REDIS_URL: redis.url }),
        // Short runs cannot wait out the default 60 s before an orphaned task is queued again.
        ...(options.short && { TASK_RECONCILE_INTERVAL_MS: '5000', TASK_RECONCILE_AFTER_MS: '10000' }),
      },
      appEnv: options.appEnv,
    });
    let workers = 0;
    const startWorker = async () => {
      workers += 1;
      const name = `worker-${workers}`;
      logs.push(join(dir, `${name}.log`));
      const managed = await startApp(processes, { dist: options.dist, role: 'worker', env, dir, name });
      started.push(managed);
      return managed;
    };
    say(`starting the API and a worker (${backend} queue backend)`);
    logs.push(join(dir, 'api.log'));
    started.push(await startApp(processes, { dist: options.dist, role: 'api', env, dir, name: 'api' }));
    let worker = await startWorker();
    const clients = await prepareClients(appUrl, databaseUrl, receiver.url, CLIENTS);
    const persistence = redis ? await redisPersistence(appUrl) : undefined;

    const bursting = fault.burst ?? true;
    say(
      `${options.loadSeconds} s of load; ` +
        (bursting ? `${BURST} one-second tasks at ${options.faultAtSeconds - BURST_LEAD_S} s; ` : '') +
        `${fault.description} at ${options.faultAtSeconds} s for ${options.downSeconds} s`,
    );
    const loadStart = Date.now();
    const load = runLoad({
      appUrl,
      clients,
      taskRate: options.taskRate,
      webhookShare: options.webhookShare,
      signupRate: options.signupRate,
      seconds: options.loadSeconds,
    });
    await sleep((options.faultAtSeconds - BURST_LEAD_S) * 1_000);
    const backlog = bursting ? await burst(appUrl, clients, BURST) : [];
    await sleep(Math.max(0, loadStart + options.faultAtSeconds * 1_000 - Date.now()));
    const window = await inject(
      fault,
      {
        cluster,
        receiver,
        stopRedis: async () => {
          if (redis) await processes.stop(redis.managed);
        },
        startRedis: async () => {
          redis = await startRedis(processes, { ...redisOptions, port: Number(new URL(redis?.url ?? '').port) });
          started.push(redis.managed);
        },
        killWorker: async () => {
          process.kill(worker.pid, 'SIGKILL');
          await worker.exited;
        },
        startWorker: async () => {
          worker = await startWorker();
        },
      },
      options.downSeconds,
    );
    say(`fault over after ${((window.endedAt - window.startedAt) / 1_000).toFixed(1)} s`);
    const sent = [...(await load), ...backlog];
    const acceptedIds = new Set(sent.flatMap((item) => (item.taskId ? [item.taskId] : [])));
    say(`load done (${sent.length} requests); waiting up to ${options.recoverySeconds} s for everything to settle`);
    const settle = await waitToSettle(databaseUrl, acceptedIds, options.recoverySeconds);
    const result = outcome({
      sent,
      snap: settle.snap,
      receiver,
      endedAt: window.endedAt,
      byDelivery: fault.name === 'receiver-down',
    });
    const found = misses(result, {
      settled: settle.settled,
      boundSeconds: options.recoverySeconds,
      persistence,
      lossByDesign: fault.lossByDesign ?? false,
    });
    let errorLines = 0;
    for (const file of logs) errorLines += (await inspectLog(file)).errors;
    if (found.length > 0) await keepLogs(suite.keepDir, scenario.name, logs);
    return {
      name: scenario.name,
      backend,
      description: fault.description,
      window,
      outcome: result,
      reconciled: await reconciled(logs.filter((file) => file.includes('worker-'))),
      persistence,
      settleSeconds: settle.seconds,
      errorLines,
      misses: found,
    };
  } catch (error) {
    for (const file of logs) await printTail(file, file);
    throw error;
  } finally {
    await Promise.all(started.map((managed) => processes.stop(managed)));
    await receiver.stop();
  }
}

/**
 * What readiness says about Redis's persistence (`aof`, `rdb`, `none`), wherever in the Redis
 * check it is reported; undefined when it is not.
 * @param {string} appUrl
 */
async function redisPersistence(appUrl) {
  const response = await fetch(`${appUrl}/health/ready`, { signal: AbortSignal.timeout(10_000) });
  const body = await response.json().catch(() => ({}));
  return body?.checks?.redis?.persistence;
}

/**
 * @param {string} keepDir
 * @param {string} name
 * @param {string[]} files
 */
async function keepLogs(keepDir, name, files) {
  const target = join(keepDir, name.replace(/[^\w.-]/g, '_'));
  await mkdir(target, { recursive: true });
  for (const file of files)
    await copyFile(file, join(target, file.split('/').at(-1) ?? 'app.log')).catch(() => undefined);
}
