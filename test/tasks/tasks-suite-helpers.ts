import { FLAKY, FlakyTaskModule } from '../fakes/task-types.js';
import { readJson } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { adminSession, type AuthSession } from '../helpers/auth.js';
import { signedInTasksApi, type TaskJson, type TaskPageJson, tasksApi, type TasksApi } from './tasks-api.js';

/**
 * Shared pieces of the tasks API suites (test/tasks/tasks-suite*.ts), which run once per
 * queue backend.
 */

export type { TasksApi } from './tasks-api.js';
export type AppEnv = Record<string, string | undefined>;

/** The task types a signed-in user may submit in the suite's apps (the others are for admins, or the application's own). */
export const USER_TYPES = ['tasks.echo', FLAKY, 'webhooks.deliver'];

/** The task types an admin may submit in the suite's apps. */
export const ADMIN_TYPES = ['tasks.echo', FLAKY, 'users.summarise', 'webhooks.deliver'];

/** Every task type of the suite's apps: the application's, and `test.flaky`. */
export const KNOWN_TYPES = [
  'auth.send-email-verification',
  'auth.send-password-reset',
  'tasks.echo',
  FLAKY,
  'users.send-welcome-email',
  'users.summarise',
  'webhooks.deliver',
];

export interface Caller {
  api: TasksApi;
  session: AuthSession;
}

export interface SuiteApp {
  t: TestApp;
  /** Signed in as `session`, a user with a verified email. */
  api: TasksApi;
  session: AuthSession;
  /** Another verified user, who owns none of `session`'s tasks. */
  other: Caller;
  admin: Caller;
}

/**
 * An app for the enclosing describe block, built in its beforeAll and closed in its afterAll.
 * Each app gets its own queue prefix: on Redis, two apps sharing a queue would take each
 * other's jobs and find no task for them in their own database. Every app also has the
 * `test.flaky` type, which fails like an unavailable target.
 */
export function useTasksApp(env: AppEnv, name: string): SuiteApp {
  const holder = {} as SuiteApp;
  beforeAll(async () => {
    holder.t = await createTestApp({
      env: { ...env, QUEUE_PREFIX: `${env.QUEUE_PREFIX ?? 'tasks'}_${name}` },
      imports: [FlakyTaskModule],
    });
    ({ api: holder.api, session: holder.session } = await signedInTasksApi(holder.t));
    holder.other = await signedInTasksApi(holder.t);
    const admin = await adminSession(holder.t.url, holder.t.databaseUrl);
    holder.admin = { api: tasksApi(holder.t.url, admin.headers), session: admin };
  });
  afterAll(() => holder.t?.close());
  return holder;
}

/** A `test.flaky` submission: a task that fails every attempt like an unavailable target. */
export const flaky = (note = 'flaky') => ({ type: FLAKY, payload: { note } });

/** Follows `nextCursor` from the first page to the last; fails on any non-200 page. */
export async function walkPages(api: TasksApi, query: Record<string, string> = {}): Promise<TaskPageJson[]> {
  const pages: TaskPageJson[] = [];
  let cursor: string | null = null;
  do {
    const res = await api.list(cursor === null ? query : { ...query, cursor });
    if (res.status !== 200) throw new Error(`GET /v1/tasks answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as TaskPageJson;
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > 200) throw new Error('pagination does not end');
  } while (cursor !== null);
  return pages;
}

/** Every stored task (matching the filters), newest first. */
export async function allTasks(api: TasksApi, query: Record<string, string> = {}): Promise<TaskJson[]> {
  const pages = await walkPages(api, { limit: '100', ...query });
  return pages.flatMap((page) => page.items);
}

export async function allTaskIds(api: TasksApi, query: Record<string, string> = {}): Promise<string[]> {
  return (await allTasks(api, query)).map((task) => task.id);
}

export const readTask = (res: Response, status: number) => readJson<TaskJson>(res, status);

export const ms = (iso: string | null): number => {
  if (iso === null) throw new Error('expected a timestamp, got null');
  return Date.parse(iso);
};
