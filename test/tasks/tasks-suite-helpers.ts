import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type TaskJson, type TaskPageJson, tasksApi } from './tasks-api.js';

/**
 * Shared pieces of the tasks API suites (test/tasks/tasks-suite*.ts), which run once per
 * queue backend.
 */

export type TasksApi = ReturnType<typeof tasksApi>;
export type AppEnv = Record<string, string | undefined>;

/** A UUID version 7 (version nibble 7, RFC 9562 variant), in lower case. */
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** A valid UUID that no test ever creates. */
export const UNKNOWN_ID = '01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0';
/** Every task type the application ships. */
export const KNOWN_TYPES = ['tasks.echo', 'users.send-welcome-email', 'users.summarise', 'webhooks.deliver'];

export interface SuiteApp {
  t: TestApp;
  api: TasksApi;
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
    holder.api = tasksApi(holder.t.url);
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

/** The JSON body of `res`, after checking its status (the body is in the failure message). */
export async function readJson<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect({ status: res.status, text }).toEqual({ status, text: expect.any(String) });
  return JSON.parse(text) as T;
}

export const readTask = (res: Response, status: number) => readJson<TaskJson>(res, status);

export const ms = (iso: string | null): number => {
  if (iso === null) throw new Error('expected a timestamp, got null');
  return Date.parse(iso);
};

export interface StubTarget {
  url: string;
  /** Requests received so far. */
  calls: number;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 that answers every request with `status`. */
export async function startStubTarget(status: number): Promise<StubTarget> {
  const target = { calls: 0 } as StubTarget;
  const server = createServer((req, res) => {
    target.calls += 1;
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'text/plain' }).end(`answered ${status}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  target.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  return target;
}
