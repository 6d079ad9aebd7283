import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { pinnedCommand } from './machine.js';

const WORKER = fileURLToPath(new URL('../load-worker.js', import.meta.url));

/**
 * @typedef {object} LoadRequest
 * @property {string} url Base URL plus path.
 * @property {string} method
 * @property {string[]} [paths] Sent in turn instead of the URL's path (see `HttpRequest`).
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 * @property {number} connections
 * @property {number} pipelining
 * @property {number} [duration] Seconds; or
 * @property {number} [amount] requests in all, spread over the connections (then `limitMs` is required).
 * @property {number} [limitMs] With `amount`: how long it may take before the round is stopped as failed.
 */

/**
 * @typedef {object} RoundResult
 * @property {number} reqPerSec 2xx responses per second.
 * @property {{ p50: number, p99: number, max: number }} latencyMs Of 2xx responses only (`excludeErrorStats`).
 * @property {number} requests
 * @property {number} durationSec
 * @property {number} ok
 * @property {number} non2xx
 * @property {number} errors
 * @property {number} timeouts
 * @property {Record<string, number>} statusCodes
 * @property {number} loadCpuPercent CPU used by the load generator over the round (100 = one core).
 * @property {number} [serverCpuPercent] CPU used by the server under test over the round, filled in by the orchestrator.
 * @property {number} [serverCpuUsPerRequest] The server's CPU time per completed request, in microseconds.
 * @property {number} [serverRssMb] The server's RSS right after the round, filled in by the orchestrator.
 * @property {number} startedAtEpochMs When autocannon started sending (wall clock, ms).
 * @property {number} lastResponseAtEpochMs When the last answer came (wall clock, ms; exact only with `amount`).
 */

/**
 * Runs one round in a fresh autocannon process and returns its summary.
 * @param {import('./processes.js').ProcessGroup} processes
 * @param {import('./machine.js').Pinning} pinning
 * @param {LoadRequest} request
 * @returns {Promise<RoundResult>}
 */
export async function runLoad(processes, pinning, request) {
  // autocannon stops itself after `duration`; the margin covers start-up and its 10 s request timeout.
  const limitMs = request.amount ? request.limitMs : ((request.duration ?? 0) + 30) * 1_000;
  if (limitMs === undefined) throw new Error('runLoad: a request with an `amount` needs a `limitMs`');
  const worker = processes.start('load generator', pinnedCommand(pinning, 'load', process.execPath, [WORKER]), {
    env: process.env,
    captureStdout: true,
  });
  // On stdin rather than as an argument: 10,000 paths exceed the 128 KiB Linux allows one argument.
  // The pipe then stays open: the worker exits when it closes.
  worker.child.stdin?.write(`${JSON.stringify(request)}\n`);
  /** @type {Buffer[]} */
  const chunks = [];
  worker.child.stdout?.on('data', (chunk) => chunks.push(chunk));
  // 'exit' can come before the last of stdout has been read.
  const drained = new Promise((resolve) => worker.child.stdout?.once('close', resolve));

  const timer = setTimeout(() => {
    console.error(`load generator ran past ${limitMs} ms: stopping it`);
    void processes.stop(worker, 2_000);
  }, limitMs);
  const { code, signal } = await worker.exited.finally(() => clearTimeout(timer));
  await Promise.race([drained, sleep(2_000)]);

  const output = Buffer.concat(chunks).toString('utf8').trim();
  if (code !== 0 || !output) {
    throw new Error(
      `load generator failed (${signal ?? `exit code ${code}`}) against ${request.method} ${request.url}`,
    );
  }
  return JSON.parse(output.split('\n').at(-1) ?? '');
}
