import { type AppProcess, startAppProcess } from '../helpers/app-process.js';
import { withClient } from '../helpers/test-database.js';
import { TASKS_TEST_ENV } from '../tasks/tasks-api.js';
import { waitFor } from '../helpers/wait-for.js';

const STARTED = /"msg":"Started \(role (api|worker)\)"/;

export type LogLine = Record<string, unknown>;

/**
 * Starts api and worker processes of the compiled app on one database, one after another,
 * and kills every one of them (by its own pid) in `stopAll`, whatever the test did.
 */
export class TasksProcesses {
  private readonly started: AppProcess[] = [];

  constructor(private readonly env: Record<string, string>) {}

  /** The database every process of this set uses. */
  get databaseUrl(): string {
    return this.env.DATABASE_URL;
  }

  async start(role: 'api' | 'worker', extra: Record<string, string> = {}): Promise<AppProcess> {
    const app = await startAppProcess({ NODE_ENV: 'test', ...TASKS_TEST_ENV, ...this.env, ...extra, APP_ROLE: role });
    this.started.push(app);
    await app.waitForOutput(STARTED, 60_000);
    return app;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.splice(0).map((app) => app.stop()));
  }
}

/** The "Attempt N of M started" lines a process wrote, optionally for one task. */
export function attemptStartLines(app: AppProcess, taskId?: string): LogLine[] {
  return app
    .logLines()
    .filter(
      (line) =>
        typeof line.msg === 'string' &&
        /^Attempt \d+ of \d+ started$/.test(line.msg) &&
        (taskId === undefined || line.taskId === taskId),
    );
}

/** Lines whose message matches, for one task. */
export function taskLines(app: AppProcess, taskId: string, msg: RegExp): LogLine[] {
  return app.logLines().filter((line) => line.taskId === taskId && typeof line.msg === 'string' && msg.test(line.msg));
}

/** Waits until `found()` returns a non-empty list (log lines reach the pipe a little after the row changes). */
export function eventually<T>(found: () => T[], what: string, timeoutMs = 10_000): Promise<T[]> {
  return waitFor(what, found, (items) => items.length > 0, { timeoutMs });
}

export interface TaskRow {
  id: string;
  status: string;
  attempts: number;
  result: unknown;
}

/** Every row of the `tasks` table, read with `pg` directly (not through the app). */
export function taskRows(databaseUrl: string): Promise<TaskRow[]> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<TaskRow>('SELECT id, status, attempts, result FROM tasks ORDER BY id');
    return rows;
  });
}

/** Waits for the process to end and checks how, showing its output when it ended otherwise. */
export async function expectExit(
  app: AppProcess,
  expected: { code: number | null; signal: NodeJS.Signals | null },
  timeoutMs = 30_000,
): Promise<void> {
  const exit = await app.waitForExit(timeoutMs);
  if (exit.code !== expected.code || exit.signal !== expected.signal)
    throw new Error(`expected exit ${JSON.stringify(expected)}, got ${JSON.stringify(exit)}; output:\n${app.output()}`);
}

/** Each test starts two or three app processes one after another: slow on a busy 2-core machine. */
export const PROCESS_TEST_TIMEOUT_MS = 120_000;
