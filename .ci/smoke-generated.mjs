/* eslint-disable no-console -- a command-line check: printing is its job */
// Starts the built app of the current directory (`node dist/main.js`, embedded PostgreSQL) and
// drives a generated module's endpoints over real HTTP: an anonymous call must get 401, then, as a
// user it signs up, create, read, list, update, delete; in between, a second user it signs up
// must get 404 for the first user's object (read, update, delete) and not see it in its list.
//   node .ci/smoke-generated.mjs <plural-kebab-name>
// Exits 0 when every answer is the expected one; otherwise prints what differed and exits 1.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

const plural = process.argv[2];
if (!plural) throw new Error('usage: node .ci/smoke-generated.mjs <plural-kebab-name>');

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const base = `http://127.0.0.1:${port}`;
const app = spawn(process.execPath, ['dist/main.js'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'development' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const exited = new Promise((resolve) => app.once('exit', (code, signal) => resolve(code ?? signal)));

async function ready() {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const answer = await fetch(`${base}/health/ready`).then(
      (res) => res.status,
      () => undefined,
    );
    if (answer === 200) return;
    if (app.exitCode !== null) throw new Error(`the app exited with code ${app.exitCode} before it was ready`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the app was not ready after 60 s');
}

const failures = [];
async function expectStatus(label, response, status) {
  const body = await response.text();
  console.log(`${label}: ${response.status}`);
  if (response.status !== status) failures.push(`${label}: expected ${status}, got ${response.status} ${body}`);
  return body ? JSON.parse(body) : undefined;
}

const json = (method, body, headers = {}) => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/**
 * Signs up a new account (the password strong enough for the sign-up rules: long, on no list,
 * not the email) and returns the `Authorization` header of its access token.
 */
async function signUp(who) {
  const account = {
    email: `smoke-${randomBytes(5).toString('hex')}@example.com`,
    name: 'Smoke Test',
    password: `smoke ${randomBytes(9).toString('base64url')} horse battery`,
  };
  const signedUp = await expectStatus(
    `POST /v1/auth/signup (${who})`,
    await fetch(`${base}/v1/auth/signup`, json('POST', account)),
    201,
  );
  if (!signedUp?.accessToken)
    throw new Error(`the sign-up of the ${who} gave no access token: the routes cannot be called`);
  return { authorization: `Bearer ${signedUp.accessToken}` };
}

try {
  await ready();
  const url = `${base}/v1/${plural}`;
  const anonymous = await expectStatus(
    `POST /v1/${plural} (anonymous)`,
    await fetch(url, json('POST', { name: 'Smoke' })),
    401,
  );
  if (anonymous?.code !== 'AUTH.TOKEN_MISSING')
    failures.push(`anonymous call: expected code AUTH.TOKEN_MISSING, got ${anonymous?.code}`);

  const auth = await signUp('owner');

  const created = await expectStatus(
    `POST /v1/${plural}`,
    await fetch(url, json('POST', { name: 'Smoke' }, auth)),
    201,
  );
  await expectStatus(`POST /v1/${plural} (no name)`, await fetch(url, json('POST', {}, auth)), 400);
  await expectStatus(`GET /v1/${plural}/:id`, await fetch(`${url}/${created.id}`, { headers: auth }), 200);
  const page = await expectStatus(`GET /v1/${plural}`, await fetch(`${url}?limit=5`, { headers: auth }), 200);
  if (!page.items.some((item) => item.id === created.id)) failures.push('the list does not contain the new item');

  // Another user must not reach it, and must not learn that it exists: 404, as for an unknown id.
  const intruder = await signUp('second user');
  await expectStatus(
    `GET /v1/${plural}/:id (second user)`,
    await fetch(`${url}/${created.id}`, { headers: intruder }),
    404,
  );
  await expectStatus(
    `PATCH /v1/${plural}/:id (second user)`,
    await fetch(`${url}/${created.id}`, json('PATCH', { name: 'Taken over' }, { 'if-match': '"1"', ...intruder })),
    404,
  );
  await expectStatus(
    `DELETE /v1/${plural}/:id (second user)`,
    await fetch(`${url}/${created.id}`, { method: 'DELETE', headers: intruder }),
    404,
  );
  const theirPage = await expectStatus(
    `GET /v1/${plural} (second user)`,
    await fetch(`${url}?limit=100`, { headers: intruder }),
    200,
  );
  if (theirPage?.items?.some((item) => item.id === created.id))
    failures.push("the second user's list contains the first user's item");

  // The owner still reaches it at version 1 (If-Match "1"): the second user's calls changed nothing.
  await expectStatus(
    `PATCH /v1/${plural}/:id`,
    await fetch(`${url}/${created.id}`, json('PATCH', { name: 'Smoke 2' }, { 'if-match': '"1"', ...auth })),
    200,
  );
  await expectStatus(
    `DELETE /v1/${plural}/:id`,
    await fetch(`${url}/${created.id}`, { method: 'DELETE', headers: auth }),
    204,
  );
  await expectStatus(`GET /v1/${plural}/:id (deleted)`, await fetch(`${url}/${created.id}`, { headers: auth }), 404);
} catch (error) {
  failures.push(error instanceof Error ? error.message : String(error));
} finally {
  app.kill('SIGTERM');
  console.log(`app stopped: ${await exited}`);
}

if (failures.length > 0) {
  console.error(`smoke test of /v1/${plural} failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`smoke test of /v1/${plural}: ok`);
