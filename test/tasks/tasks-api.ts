import { type AuthSession, signUp } from '../helpers/auth.js';
import { withClient } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Small HTTP client for the tasks API, shared by the e2e and process tests: real requests
 * with `fetch` against a running app, plus polling until a task reaches a state.
 */

export interface TaskFailureJson {
  code: string;
  message: string;
  attempt: number;
}

export interface TaskJson {
  id: string;
  type: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  progress: number;
  result: unknown;
  error: TaskFailureJson | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  nextAttemptAt: string | null;
  cancelRequestedAt: string | null;
  requestId: string | null;
  ownerId: string | null;
  idempotencyKey: string | null;
}

export interface TaskPageJson {
  items: TaskJson[];
  nextCursor: string | null;
}

/** Environment for apps of task tests: no rate limit in the way, fast retries. */
export const TASKS_TEST_ENV = {
  THROTTLE_LIMIT: '10000',
  THROTTLE_AUTH_LIMIT: '10000',
  THROTTLE_TASK_SUBMIT_LIMIT: '10000',
  RETRY_BASE_DELAY_MS: '200',
  RETRY_MAX_DELAY_MS: '2000',
};

export interface SubmitBody {
  type: string;
  payload: unknown;
  delayMs?: number;
  maxAttempts?: number;
}

/** `defaults` go with every request (a session's `headers`, say); a call's own headers win. */
export function tasksApi(baseUrl: string, defaults: Record<string, string> = {}) {
  const call = (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers:
        json === undefined
          ? { ...defaults, ...headers }
          : { ...defaults, 'content-type': 'application/json', ...headers },
      body: json === undefined ? undefined : JSON.stringify(json),
    });

  const get = async (id: string): Promise<TaskJson> => {
    const res = await call('GET', `/v1/tasks/${id}`);
    if (res.status !== 200) throw new Error(`GET /v1/tasks/${id} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as TaskJson;
  };

  return {
    call,
    /** POST /v1/tasks; resolves with the raw response (assert the status yourself). */
    submit: (body: SubmitBody, headers?: Record<string, string>) => call('POST', '/v1/tasks', body, headers),
    /** POST /v1/tasks expecting 202; resolves with the task. */
    async create(body: SubmitBody, headers?: Record<string, string>): Promise<TaskJson> {
      const res = await call('POST', '/v1/tasks', body, headers);
      if (res.status !== 202) throw new Error(`POST /v1/tasks answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as TaskJson;
    },
    get,
    list: (query: Record<string, string> = {}) => {
      const search = new URLSearchParams(query).toString();
      return call('GET', `/v1/tasks${search ? `?${search}` : ''}`);
    },
    cancel: (id: string) => call('POST', `/v1/tasks/${id}/cancel`),
    /** Polls GET /v1/tasks/:id until `done(task)` holds; throws with the last state after `timeoutMs`. */
    waitFor: (id: string, done: (task: TaskJson) => boolean, timeoutMs = 20_000): Promise<TaskJson> =>
      waitFor(`task ${id}`, () => get(id), done, { timeoutMs }),
  };
}

export type TasksApi = ReturnType<typeof tasksApi>;

export const isFinished = (task: TaskJson) => ['succeeded', 'failed', 'cancelled'].includes(task.status);

/** Marks the account's email as verified, straight in the database (as confirming the mailed code would). */
export async function verifyEmail(databaseUrl: string, userId: string): Promise<void> {
  await withClient(databaseUrl, (db) => db.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [userId]));
}

/**
 * A new account of the app and a tasks client signed in as it (any account may use tasks).
 * Given the app's database (a `TestApp`), the account's email is verified, so it may submit
 * `outbound` types such as `webhooks.deliver`; given only a base URL, it is not.
 */
export async function signedInTasksApi(
  app: string | { url: string; databaseUrl: string },
): Promise<{ api: TasksApi; session: AuthSession }> {
  const baseUrl = typeof app === 'string' ? app : app.url;
  const session = await signUp(baseUrl);
  if (typeof app !== 'string') await verifyEmail(app.databaseUrl, session.userId);
  return { api: tasksApi(baseUrl, session.headers), session };
}

/** The tasks a sign-up queues for the new account: its welcome and its email-verification mail. */
export const SIGN_UP_TASK_TYPES = ['users.send-welcome-email', 'auth.send-email-verification'];

export interface TaskRowJson {
  id: string;
  type: string;
  status: TaskJson['status'];
}

/**
 * Waits until each task a sign-up queued for `userId` exists and has finished, and returns
 * them, for tests that count what the workers ran or what the tasks table holds. Needs a
 * worker running. Read from the database: these are the application's own tasks (no owner),
 * which only admins see through the API.
 */
export async function signUpTasksFinished(
  databaseUrl: string,
  userId: string,
  timeoutMs = 20_000,
): Promise<TaskRowJson[]> {
  const ofAccount = () =>
    withClient(databaseUrl, async (db) => {
      const { rows } = await db.query<TaskRowJson>(
        `SELECT id, type, status FROM tasks WHERE type = ANY($1) AND payload->>'userId' = $2 ORDER BY id`,
        [SIGN_UP_TASK_TYPES, userId],
      );
      return rows;
    });
  return waitFor(
    `the sign-up tasks of ${userId}`,
    ofAccount,
    (tasks) =>
      tasks.length === SIGN_UP_TASK_TYPES.length &&
      tasks.every((task) => ['succeeded', 'failed', 'cancelled'].includes(task.status)),
    { timeoutMs },
  );
}
