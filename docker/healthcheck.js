// Container health probe for the Dockerfile's HEALTHCHECK: GET /health/live on this container,
// exit 0 on a 2xx answer and 1 otherwise. Plain Node, so the slim image needs no curl or wget.
// An ES module (the project's package.json says "type": "module"); reads only the environment.
import { request } from 'node:http';

const port = process.env.PORT || '3000';
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 3000);
const url = `http://127.0.0.1:${port}/health/live`;

function fail(reason) {
  console.error(`healthcheck: ${url} ${reason}`);
  process.exit(1);
}

// Unhealthy unless proven otherwise, and a hard deadline for the whole probe (connect, headers, body).
process.exitCode = 1;
setTimeout(() => fail(`did not answer within ${timeoutMs} ms`), timeoutMs);

const req = request(url, { method: 'GET', headers: { accept: 'application/json' } }, (res) => {
  res.resume();
  res.on('end', () => {
    if (res.statusCode >= 200 && res.statusCode < 300) process.exit(0);
    fail(`answered ${res.statusCode}`);
  });
});
req.on('error', (error) => fail(`failed: ${error.message}`));
req.end();
