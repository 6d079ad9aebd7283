/**
 * One round of load, in its own process so that it can be pinned to a core of its own and so
 * that its CPU use never shows up in the orchestrator. Input: one JSON argument
 * (`LoadRequest` in lib/load.js). Output: one JSON line (`RoundResult`) on stdout.
 */
import autocannon from 'autocannon';

// The orchestrator holds our stdin open; if it dies, even by SIGKILL, stdin ends and so do we.
process.stdin.on('end', () => process.exit(2));
process.stdin.resume();

/** @type {import('./lib/load.js').LoadRequest} */
const request = JSON.parse(process.argv[2] ?? '{}');

const startedAt = performance.now();
const cpuBefore = process.cpuUsage();
const result = await autocannon({
  url: request.url,
  method: request.method,
  headers: request.headers,
  body: request.body,
  connections: request.connections,
  pipelining: request.pipelining,
  duration: request.duration,
  timeout: 10,
});
const cpu = process.cpuUsage(cpuBefore);

/** @type {import('./lib/load.js').RoundResult} */
const summary = {
  // Completed requests over the measured wall time: exact, unlike the mean of 1-second samples.
  reqPerSec: result.requests.total / result.duration,
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
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exit(0);
