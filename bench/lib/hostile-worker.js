/**
 * A helper process of the hostile-body scenario, pinned to the load CPU like the load generator.
 * Input: one JSON line on stdin (`HostileJob`). Output: one JSON line on stdout.
 * - `probe`: `GET url` one after another over one kept-alive connection until `durationMs` has
 *   passed; answers `{ samples: [startedAtEpochMs, latencyMs, status][] }`.
 * - `waves`: `concurrency` POSTs of the body in `bodyFile` at once, then `pauseMs` after the last
 *   answer, again until `durationMs` has passed; answers `{ waves: [startEpochMs, endEpochMs][],
 *   statusCodes }` (`closed` counts a request whose connection the app closed first).
 */
import { readFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { firstLine } from './first-line.js';

/**
 * @typedef {object} HostileJob
 * @property {'probe' | 'waves'} mode
 * @property {string} url
 * @property {number} durationMs
 * @property {Record<string, string>} [headers]
 * @property {string} [bodyFile]
 * @property {number} [concurrency]
 * @property {number} [pauseMs]
 */

// The scenario holds our stdin open after the job line; if it dies, even by SIGKILL, so do we.
process.stdin.on('end', () => process.exit(2));

/** @type {HostileJob} */
const job = JSON.parse(await firstLine(process.stdin));
process.stdin.resume();
const now = () => performance.timeOrigin + performance.now();
const end = Date.now() + job.durationMs;
const answer = job.mode === 'probe' ? await probe() : await waves();
// On a pipe the write completes later: exiting at once would cut the answer short.
process.stdout.write(`${JSON.stringify(answer)}\n`, () => process.exit(0));

/** node:http rather than fetch: the probe's own overhead must stay far below what it measures. */
async function probe() {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  /** @type {[number, number, number][]} */
  const samples = [];
  while (Date.now() < end) {
    const at = now();
    const status = await new Promise((resolve, reject) => {
      get(job.url, { agent }, (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      }).once('error', reject);
    });
    samples.push([at, now() - at, status]);
  }
  agent.destroy();
  return { samples };
}

async function waves() {
  const body = await readFile(/** @type {string} */ (job.bodyFile));
  /** @type {[number, number][]} */
  const done = [];
  /** @type {Record<string, number>} */
  const statusCodes = {};
  const send = () =>
    fetch(job.url, { method: 'POST', headers: job.headers, body }).then(
      async (response) => {
        await response.arrayBuffer();
        return String(response.status);
      },
      () => 'closed',
    );
  while (Date.now() < end) {
    const start = now();
    const answers = await Promise.all(Array.from({ length: job.concurrency ?? 1 }, send));
    done.push([start, now()]);
    for (const status of answers) statusCodes[status] = (statusCodes[status] ?? 0) + 1;
    await sleep(job.pauseMs ?? 0);
  }
  return { waves: done, statusCodes };
}
