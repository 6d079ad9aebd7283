import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
const EMAIL_TYPES = ['users.send-welcome-email', 'auth.send-email-verification'];
const WEBHOOK_TYPE = 'webhooks.deliver';

/**
 * @typedef {object} TaskRow
 * @property {string} id
 * @property {string} type
 * @property {string} status
 * @property {string | null} code The failure's code.
 * @property {string | null} user_id Of an email task.
 * @property {Date | null} finished_at
 */

/**
 * @typedef {object} Snapshot The database as the suite reads it with `pg`, not through the app.
 * @property {TaskRow[]} tasks
 * @property {string[]} users
 * @property {number} outboxWaiting Integration events not relayed yet.
 */

/** @param {string} databaseUrl @returns {Promise<Snapshot>} */
async function snapshot(databaseUrl) {
  const db = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  db.on('error', () => undefined);
  await db.connect();
  try {
    const tasks = await db.query(
      `SELECT id, type, status, error->>'code' AS code, finished_at,
              CASE WHEN type = ANY($1) THEN payload->>'userId' END AS user_id
         FROM tasks`,
      [EMAIL_TYPES],
    );
    const users = await db.query('SELECT id FROM users');
    const outbox = await db.query('SELECT count(*)::int AS waiting FROM outbox_events WHERE relayed_at IS NULL');
    return { tasks: tasks.rows, users: users.rows.map((row) => row.id), outboxWaiting: outbox.rows[0].waiting };
  } finally {
    await db.end().catch(() => undefined);
  }
}

/**
 * Users lacking a task of each email type (queued by the listeners of `users.registered`).
 * @param {Snapshot} snap
 */
function usersWithoutEmails(snap) {
  const has = new Map(EMAIL_TYPES.map((type) => [type, new Set()]));
  for (const task of snap.tasks) if (task.user_id) has.get(task.type)?.add(task.user_id);
  return snap.users.filter((id) => EMAIL_TYPES.some((type) => !has.get(type)?.has(id))).length;
}

/**
 * Polls the database until every task is final, every accepted task is there, every user has
 * both emails queued and the outbox is empty, or `boundSeconds` have passed.
 * @param {string} databaseUrl
 * @param {Set<string>} acceptedIds
 * @param {number} boundSeconds
 * @returns {Promise<{ snap: Snapshot, settled: boolean, seconds: number }>}
 */
export async function waitToSettle(databaseUrl, acceptedIds, boundSeconds) {
  const startedAt = Date.now();
  /** @type {Snapshot | undefined} */
  let snap;
  for (;;) {
    snap = await snapshot(databaseUrl).catch(() => snap);
    const elapsed = (Date.now() - startedAt) / 1_000;
    if (snap) {
      const present = new Set(snap.tasks.map((task) => task.id));
      const settled =
        snap.tasks.every((task) => FINAL.has(task.status)) &&
        [...acceptedIds].every((id) => present.has(id)) &&
        usersWithoutEmails(snap) === 0 &&
        snap.outboxWaiting === 0;
      if (settled || elapsed >= boundSeconds) return { snap, settled, seconds: elapsed };
    } else if (elapsed >= boundSeconds) {
      throw new Error(`the database did not answer within ${boundSeconds} s after the load`);
    }
    await sleep(1_000);
  }
}

/**
 * Tasks the workers' reconcilers queued again or failed as abandoned, from their log lines
 * (`Reconciled tasks: N requeued, M abandoned`).
 * @param {string[]} logFiles
 */
export async function reconciled(logFiles) {
  let requeued = 0;
  let abandoned = 0;
  for (const file of logFiles) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const match of text.matchAll(/Reconciled tasks: (\d+) requeued, (\d+) abandoned/g)) {
      requeued += Number(match[1]);
      abandoned += Number(match[2]);
    }
  }
  return { requeued, abandoned };
}

/**
 * @typedef {object} Outcome
 * @property {number} sent Task submissions.
 * @property {number} accepted Answered 202.
 * @property {number} succeeded Of the accepted.
 * @property {number} failed Of the accepted.
 * @property {Record<string, number>} failureCodes
 * @property {number} vanished Accepted, but not in the database.
 * @property {number} unacknowledged In the database, but the client got no 202 (an error or a timeout).
 * @property {number} stuck Tasks of any type not final when the wait ended.
 * @property {number} outboxWaiting
 * @property {number} webhooks Accepted deliveries.
 * @property {number} undelivered Accepted deliveries the receiver never got.
 * @property {number} duplicates Deliveries beyond the first of a webhook-id.
 * @property {number} signups Registrations sent.
 * @property {number} registered Answered 201.
 * @property {number} users In the database.
 * @property {number} usersWithoutEmails
 * @property {Record<string, number>} errors Answers other than 2xx (and requests without one), by status.
 * @property {Record<string, number>} errorCodes Problem codes of the 5xx answers.
 * @property {number} unavailableWithoutRetryAfter 503s without `Retry-After`.
 * @property {number | undefined} submitRecoverySeconds From the end of the fault to the first 202 of a task sent after it.
 * @property {number | undefined} runRecoverySeconds From the end of the fault to the first task (or, for the receiver, delivery) finished after it.
 */

/**
 * @param {{ sent: import('./load.js').Sent[], snap: Snapshot, receiver: import('./receiver.js').WebhookReceiver, endedAt: number, byDelivery: boolean }} input
 * @returns {Outcome}
 */
export function outcome({ sent, snap, receiver, endedAt, byDelivery }) {
  const submissions = sent.filter((item) => item.kind === 'task');
  const signups = sent.filter((item) => item.kind === 'signup');
  const acceptedIds = new Set(
    submissions.flatMap((item) => (item.outcome === 202 && item.taskId ? [item.taskId] : [])),
  );
  const byId = new Map(snap.tasks.map((task) => [task.id, task]));
  const rows = [...acceptedIds].flatMap((id) => byId.get(id) ?? []);
  const failed = rows.filter((task) => task.status === 'failed');
  const webhooks = rows.filter((task) => task.type === WEBHOOK_TYPE);

  const firstSubmit = submissions
    .filter((item) => item.sentAt >= endedAt && item.outcome === 202)
    .reduce((first, item) => Math.min(first, item.answeredAt), Infinity);
  const firstRun = byDelivery
    ? receiver.arrivals.filter((at) => at >= endedAt).reduce((first, at) => Math.min(first, at), Infinity)
    : snap.tasks
        .filter((task) => task.status === 'succeeded' && task.finished_at && task.finished_at.getTime() >= endedAt)
        .reduce((first, task) => Math.min(first, /** @type {Date} */ (task.finished_at).getTime()), Infinity);
  const seconds = (/** @type {number} */ at) => (Number.isFinite(at) ? (at - endedAt) / 1_000 : undefined);

  const failedAnswers = sent.filter((item) => typeof item.outcome !== 'number' || item.outcome >= 300);
  return {
    sent: submissions.length,
    accepted: acceptedIds.size,
    succeeded: rows.filter((task) => task.status === 'succeeded').length,
    failed: failed.length,
    failureCodes: countBy(failed.map((task) => task.code ?? 'no code')),
    vanished: acceptedIds.size - rows.length,
    unacknowledged: snap.tasks.filter(
      (task) => (task.type === WEBHOOK_TYPE || task.type === 'tasks.echo') && !acceptedIds.has(task.id),
    ).length,
    stuck: snap.tasks.filter((task) => !FINAL.has(task.status)).length,
    outboxWaiting: snap.outboxWaiting,
    webhooks: webhooks.length,
    undelivered: webhooks.filter((task) => !receiver.delivered(`msg_${task.id}`)).length,
    duplicates: receiver.duplicates,
    signups: signups.length,
    registered: signups.filter((item) => item.outcome === 201).length,
    users: snap.users.length,
    usersWithoutEmails: usersWithoutEmails(snap),
    errors: countBy(failedAnswers.map((item) => String(item.outcome))),
    errorCodes: countBy(
      failedAnswers.filter((item) => Number(item.outcome) >= 500).map((item) => `${item.outcome} ${item.code}`),
    ),
    unavailableWithoutRetryAfter: failedAnswers.filter((item) => item.outcome === 503 && !item.retryAfter).length,
    submitRecoverySeconds: seconds(firstSubmit),
    runRecoverySeconds: seconds(firstRun),
  };
}

/**
 * The targets a scenario missed, in words; none is a pass. 503 is the one honest answer to a
 * dependency that is down; anything else without a 2xx (a 500, a 401, a timeout) is a miss.
 * @param {Outcome} result
 * @param {{ settled: boolean, boundSeconds: number, persistence?: string, lossByDesign: boolean }} context
 */
export function misses(result, { settled, boundSeconds, persistence, lossByDesign }) {
  const found = [];
  if (result.vanished > 0) found.push(`${result.vanished} accepted tasks are not in the database`);
  if (result.stuck > 0) found.push(`${result.stuck} tasks not final ${boundSeconds} s after the load`);
  if (result.outboxWaiting > 0) found.push(`${result.outboxWaiting} integration events never relayed`);
  if (result.undelivered > 0)
    found.push(`${result.undelivered} accepted webhook deliveries never reached the receiver`);
  if (result.usersWithoutEmails > 0) found.push(`${result.usersWithoutEmails} users without both email tasks`);
  for (const [status, count] of Object.entries(result.errors)) {
    if (status !== '503') found.push(`${count} answered ${/^\d+$/.test(status) ? `HTTP ${status}` : status}`);
  }
  if (result.unavailableWithoutRetryAfter > 0) {
    found.push(`${result.unavailableWithoutRetryAfter} 503s without Retry-After`);
  }
  if (lossByDesign && persistence !== 'none') {
    found.push(
      `readiness did not say that Redis keeps nothing on disk (persistence: ${persistence ?? 'not reported'})`,
    );
  }
  if (!settled && found.length === 0) found.push(`did not settle within ${boundSeconds} s`);
  return found;
}

/** @param {string[]} values */
function countBy(values) {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
