/**
 * A helper process of the soak scenario, pinned to the load CPU like the load generator.
 * Input: one JSON line on stdin (`MixedLoadJob`). Output: one JSON line (`MixedLoadResult`).
 * Sends `rate` requests a second for `durationMs`, open loop (on a fixed schedule, whatever the
 * answers), each drawn in turn from `requests` by weight, and reports each request kind's
 * answers and latencies per `bucketMs`, so that the first minutes compare with the last.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { firstLine } from './first-line.js';
import { fillUnique, uniqueTokens } from './unique.js';

/**
 * @typedef {object} MixedRequest
 * @property {string} name
 * @property {number} weight Requests of this kind per round of the mix.
 * @property {string} method
 * @property {string} path
 * @property {string[]} [paths] Taken in turn instead of `path`, to spread the load over many rows.
 * @property {Record<string, string>} [headers]
 * @property {string} [body] May contain UNIQUE (unique.js).
 */

/**
 * @typedef {object} MixedLoadJob
 * @property {string} url Base URL.
 * @property {number} rate Requests per second, all kinds together.
 * @property {number} durationMs
 * @property {number} bucketMs
 * @property {MixedRequest[]} requests
 */

/**
 * @typedef {object} Bucket
 * @property {number} startMs From the start of the load.
 * @property {Record<string, { count: number, ok: number, statuses: Record<string, number>, p50: number, p99: number }>} kinds
 */

/** @typedef {{ buckets: Bucket[] }} MixedLoadResult */

// The scenario holds our stdin open after the job line; if it dies, even by SIGKILL, so do we.
process.stdin.on('end', () => process.exit(2));

/** @type {MixedLoadJob} */
const job = JSON.parse(await firstLine(process.stdin));
process.stdin.resume();

const mix = job.requests.flatMap((request) => Array.from({ length: request.weight }, () => request));
const token = uniqueTokens();
/** @type {Map<string, number>} */
const turns = new Map();
/** @type {Map<number, Map<string, { statuses: Record<string, number>, latencies: number[] }>>} */
const buckets = new Map();
/** @type {Promise<void>[]} */
const inFlight = [];
const startedAt = performance.now();
const total = Math.floor((job.rate * job.durationMs) / 1_000);
for (let index = 0; index < total; index += 1) {
  const due = startedAt + (index * 1_000) / job.rate;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  inFlight.push(send(mix[index % mix.length], Math.floor((due - startedAt) / job.bucketMs)));
  // Settled promises need not be kept: bounded memory over a long run.
  if (inFlight.length > 10_000) await Promise.all(inFlight.splice(0, 5_000));
}
await Promise.all(inFlight);

/** @type {MixedLoadResult} */
const result = {
  buckets: [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bucket, kinds]) => ({
      startMs: bucket * job.bucketMs,
      kinds: Object.fromEntries(
        [...kinds.entries()].map(([name, { statuses, latencies }]) => {
          latencies.sort((a, b) => a - b);
          const at = (/** @type {number} */ share) =>
            Math.round(latencies[Math.max(0, Math.ceil(share * latencies.length) - 1)] ?? 0);
          const ok = Object.entries(statuses)
            .filter(([status]) => status.startsWith('2'))
            .reduce((sum, [, count]) => sum + count, 0);
          return [name, { count: latencies.length, ok, statuses, p50: at(0.5), p99: at(0.99) }];
        }),
      ),
    })),
};
// On a pipe the write completes later: exiting at once would cut the answer short.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));

/**
 * @param {MixedRequest} request
 * @param {number} bucket
 */
async function send(request, bucket) {
  const turn = turns.get(request.name) ?? 0;
  turns.set(request.name, turn + 1);
  const path = request.paths ? request.paths[turn % request.paths.length] : request.path;
  const sentAt = performance.now();
  let status;
  try {
    const response = await fetch(`${job.url}${path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body === undefined ? undefined : fillUnique(request.body, token()),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    status = String(response.status);
  } catch (error) {
    status = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'error';
  }
  const kinds = buckets.get(bucket) ?? new Map();
  buckets.set(bucket, kinds);
  const kind = kinds.get(request.name) ?? { statuses: {}, latencies: [] };
  kinds.set(request.name, kind);
  kind.statuses[status] = (kind.statuses[status] ?? 0) + 1;
  kind.latencies.push(performance.now() - sentAt);
}
