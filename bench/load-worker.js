/**
 * One round of load, in its own process so that it can be pinned to a core of its own and so
 * that its CPU use never shows up in the orchestrator. Input: one JSON line on stdin
 * (`LoadRequest` in lib/load.js; not an argument, because a list of paths can exceed the 128 KiB
 * Linux allows one argument). Output: one JSON line (`RoundResult`) on stdout.
 */
import autocannon from 'autocannon';
import { firstLine } from './lib/first-line.js';
import { fillUnique, UNIQUE, uniqueTokens } from './lib/unique.js';

// The orchestrator holds our stdin open after the request line; if it dies, even by SIGKILL,
// stdin ends and so do we.
process.stdin.on('end', () => process.exit(2));

/** @type {import('./lib/load.js').LoadRequest} */
const request = JSON.parse(await firstLine(process.stdin));
process.stdin.resume();

const startedAt = performance.now();
const cpuBefore = process.cpuUsage();
const job = autocannon({
  url: request.url,
  method: request.method,
  headers: request.headers,
  body: request.body,
  requests: varying(request),
  connections: request.connections,
  pipelining: request.pipelining,
  // A fixed number of requests (a batch of tasks to submit) or a fixed time; autocannon ignores
  // the duration when it has an amount. It notices the end at its next sample, so sample often.
  ...(request.amount ? { amount: request.amount, sampleInt: 50 } : { duration: request.duration }),
  timeout: 10,
  // Latencies of 2xx answers only, like req/s below (autocannon 8 counts every status by default).
  excludeErrorStats: true,
});
// Wall-clock time (epoch ms) of the last answer: with an amount, the moment the batch was all
// submitted, which autocannon's own `finish` gives only to the next sample.
let lastResponseAt = Date.now();
if (request.amount) job.on('response', () => (lastResponseAt = Date.now()));
const result = await job;
const cpu = process.cpuUsage(cpuBefore);

/** @type {import('./lib/load.js').RoundResult} */
const summary = {
  // 2xx responses over the measured wall time: a server answering 409 or 429 fast must not look
  // fast. Exact, unlike the mean of 1-second samples.
  reqPerSec: result['2xx'] / result.duration,
  latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  requests: result.requests.total,
  durationSec: result.duration,
  ok: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  // Near 100 % means the load generator, not the server, set the pace.
  loadCpuPercent: ((cpu.user + cpu.system) / 1_000 / (performance.now() - startedAt)) * 100,
  statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
  // Epoch ms, to line up with timestamps other processes (PostgreSQL's now()) record.
  startedAtEpochMs: result.start.getTime(),
  lastResponseAtEpochMs: lastResponseAt,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exit(0);

/**
 * Requests that change from one to the next: the next of `paths` (one counter shared by all
 * connections, so they walk the list together rather than each hammering its start), and a
 * fresh token wherever the body holds the UNIQUE placeholder. autocannon then builds
 * each request anew, which costs the load generator a little CPU (its share is reported).
 * Undefined when every request is the same, so that autocannon sends one prebuilt buffer.
 * @param {import('./lib/load.js').LoadRequest} template
 */
function varying(template) {
  const paths = template.paths?.length ? template.paths : undefined;
  const unique = template.body?.includes(UNIQUE) ?? false;
  if (!paths && !unique) return undefined;
  const token = uniqueTokens();
  let sequence = 0;
  return [
    {
      /** @param {{ path: string, body?: string | Buffer }} next a fresh copy of the defaults, ours to change */
      setupRequest(next) {
        if (paths) next.path = paths[sequence++ % paths.length];
        if (unique && typeof next.body === 'string') next.body = fillUnique(next.body, token());
        return next;
      },
    },
  ];
}
