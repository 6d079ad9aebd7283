import { readJson } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import type { AuthSession } from '../helpers/auth.js';
import { signedInTasksApi, type TaskJson, type TaskPageJson, type TasksApi } from './tasks-api.js';

/**
 * Shared pieces of the tasks API suites (test/tasks/tasks-suite*.ts), which run once per
 * queue backend.
 */

export type { TasksApi } from './tasks-api.js';
export type AppEnv = Record<string, string | undefined>;

/** Every task type the application ships. */
export const KNOWN_TYPES = [
  'auth.send-email-verification',
  'auth.send-password-reset',
  'tasks.echo',
  'users.send-welcome-email',
  'users.summarise',
  'webhooks.deliver',
];

export interface SuiteApp {
  t: TestApp;
  /** Signed in as `session`. */
  api: TasksApi;
  session: AuthSession;
}

/**
 * An app for the enclosing describe block, built in its beforeAll and closed in its afterAll.
 * Each app gets its own queue prefix: on Redis, two apps sharing a queue would take each
 * other's jobs and find no task for them in their own database.
 */
export function useTasksApp(env: AppEnv, name: string): SuiteApp {
  const holder = {} as SuiteApp;
  beforeAll(async () => {
    holder.t = await createTestApp({ env: { ...env, QUEUE_PREFIX: `${env.QUEUE_PREFIX ?? 'tasks'}_${name}` } });
    ({ api: holder.api, session: holder.session } = await signedInTasksApi(holder.t.url));
  });
  afterAll(() => holder.t?.close());
  return holder;
}

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
