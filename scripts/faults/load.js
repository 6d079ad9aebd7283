import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { bearer, signUp } from '../../bench/lib/auth.js';

/** One task in five (an echo) runs this long, so that a fault finds tasks running and jobs waiting. */
const SLOW_TASK_MS = 1_000;

/** A request not answered within this is a client-visible failure (`timeout`): no wait may be unbounded. */
const CLIENT_TIMEOUT_MS = 15_000;

/**
 * @typedef {object} Sent One request of the load, as the client saw it.
 * @property {'task' | 'signup'} kind
 * @property {number} sentAt epoch ms
 * @property {number} answeredAt
 * @property {number | 'timeout' | 'network'} outcome The status code, or why there was none.
 * @property {boolean} retryAfter The answer carried `Retry-After`.
 * @property {string} [code] The problem's `code`, for answers other than 2xx.
 * @property {string} [taskId] Of a 202.
 */

/**
 * @typedef {object} Client An account that submits tasks, with its webhook endpoint.
 * @property {Record<string, string>} headers
 * @property {string} endpointId
 */

/**
 * Accounts that submit the load: verified (webhook deliveries need it; set in the database as
 * the emailed code would), each with an endpoint at the receiver. Several of them, so that the
 * per-owner running cap is not what paces the worker.
 * @param {string} appUrl
 * @param {string} databaseUrl
 * @param {string} receiverUrl
 * @param {number} count
 * @returns {Promise<Client[]>}
 */
export async function prepareClients(appUrl, databaseUrl, receiverUrl, count) {
  const accounts = [];
  for (let index = 0; index < count; index += 1) accounts.push(await signUp(appUrl));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('UPDATE users SET email_verified_at = now() WHERE id = ANY($1::uuid[])', [
      accounts.map((account) => account.userId),
    ]);
  } finally {
    await db.end();
  }
  return Promise.all(
    accounts.map(async (account) => {
      const headers = { ...bearer(account.accessToken), 'content-type': 'application/json' };
      const response = await fetch(`${appUrl}/v1/webhooks/endpoints`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ url: receiverUrl, description: 'fault suite' }),
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status !== 201) throw new Error(`POST /v1/webhooks/endpoints answered ${response.status}: ${text}`);
      return { headers, endpointId: JSON.parse(text).id };
    }),
  );
}

/**
 * Open-loop load: tasks and registrations sent on a fixed schedule whatever the answers, the
 * way independent clients arrive, so that a fault shows as failed requests rather than as a
 * pause of the load. `webhookShare` of the tasks are webhook deliveries, the rest `tasks.echo`.
 * @param {{ appUrl: string, clients: Client[], taskRate: number, webhookShare: number, signupRate: number, seconds: number }} load
 * @returns {Promise<Sent[]>}
 */
export async function runLoad({ appUrl, clients, taskRate, webhookShare, signupRate, seconds }) {
  /** @type {Promise<Sent>[]} */
  const sent = [];
  const startedAt = Date.now();
  let webhookCredit = 0;
  const tasks = steady(taskRate, seconds, startedAt, (index) => {
    const client = clients[index % clients.length];
    webhookCredit += webhookShare;
    const webhook = webhookCredit >= 1;
    if (webhook) webhookCredit -= 1;
    const body = webhook
      ? {
          type: 'webhooks.deliver',
          payload: { endpointId: client.endpointId, eventType: 'faults.load', payload: { index } },
        }
      : { type: 'tasks.echo', payload: { message: `load ${index}`, durationMs: index % 5 === 0 ? SLOW_TASK_MS : 0 } };
    sent.push(send('task', `${appUrl}/v1/tasks`, client.headers, body));
  });
  const signups = steady(signupRate, seconds, startedAt, () => {
    const body = {
      email: `faults-${randomBytes(6).toString('hex')}@example.com`,
      name: 'Fault Suite',
      password: `faults ${randomBytes(12).toString('base64url')}`,
    };
    sent.push(send('signup', `${appUrl}/v1/auth/signup`, { 'content-type': 'application/json' }, body));
  });
  await Promise.all([tasks, signups]);
  return Promise.all(sent);
}

/**
 * `count` one-second echo tasks at once, spread over the clients: sent just before the fault, so
 * that it finds jobs waiting in the queue and running in the worker, not an idle queue.
 * @param {string} appUrl
 * @param {Client[]} clients
 * @param {number} count
 * @returns {Promise<Sent[]>}
 */
export function burst(appUrl, clients, count) {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      send('task', `${appUrl}/v1/tasks`, clients[index % clients.length].headers, {
        type: 'tasks.echo',
        payload: { message: `burst ${index}`, durationMs: SLOW_TASK_MS },
      }),
    ),
  );
}

/**
 * Calls `fire(index)` `rate` times a second for `seconds`, on a schedule fixed from `startedAt`
 * (a late tick does not shift the ones after it).
 * @param {number} rate
 * @param {number} seconds
 * @param {number} startedAt
 * @param {(index: number) => void} fire
 */
async function steady(rate, seconds, startedAt, fire) {
  const count = Math.floor(rate * seconds);
  for (let index = 0; index < count; index += 1) {
    const due = startedAt + (index * 1_000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    fire(index);
  }
}

/**
 * @param {'task' | 'signup'} kind
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {object} body
 * @returns {Promise<Sent>}
 */
async function send(kind, url, headers, body) {
  const sentAt = Date.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await response.text();
    /** @type {Sent} */
    const result = {
      kind,
      sentAt,
      answeredAt: Date.now(),
      outcome: response.status,
      retryAfter: response.headers.has('retry-after'),
    };
    const parsed = parseJson(text);
    if (response.status === 202) result.taskId = parsed?.id;
    else if (!response.ok) result.code = parsed?.code ?? 'no problem code';
    return result;
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { kind, sentAt, answeredAt: Date.now(), outcome: timedOut ? 'timeout' : 'network', retryAfter: false };
  }
}

/** @param {string} text */
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
