import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { SubmitTaskCommand } from '../../src/modules/tasks/tasks.contracts.js';
import type { AuthSession } from '../helpers/auth.js';
import { expectValidationProblem } from '../helpers/problem.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait-for.js';
import { isFinished, type TaskJson, TASKS_TEST_ENV, tasksApi } from '../tasks/tasks-api.js';
import { allTasks, type TasksApi } from '../tasks/tasks-suite-helpers.js';
import { adminUsersApi, uniqueTag, type UsersApi } from './users-api.js';

const WELCOME = 'users.send-welcome-email';
const SUMMARISE = 'users.summarise';

/** Every welcome task of `userId`, through GET /v1/tasks?type=..., all pages. */
async function welcomeTasksOf(api: TasksApi, userId: string): Promise<TaskJson[]> {
  const welcomes = await allTasks(api, { type: WELCOME });
  return welcomes.filter((task) => task.payload.userId === userId);
}

/** The welcome task queued on registration (the listener runs after the 201). */
async function queuedWelcomeOf(api: TasksApi, userId: string): Promise<TaskJson> {
  const [task] = await waitFor(
    `the ${WELCOME} tasks of user ${userId}`,
    () => welcomeTasksOf(api, userId),
    (tasks) => tasks.length > 0,
  );
  return task;
}

/** What the summary must say, read straight from the users table. */
function expectedSummary(databaseUrl: string) {
  return withClient(databaseUrl, async (client) => {
    const total = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0].n);
    const roles = await client.query<{ role: string; n: string }>('SELECT role, count(*) AS n FROM users GROUP BY 1');
    const domains = await client.query<{ domain: string; users: string }>(
      `SELECT split_part(email, '@', 2) AS domain, count(*) AS users FROM users
       GROUP BY 1 ORDER BY count(*) DESC, split_part(email, '@', 2) COLLATE "C" LIMIT 5`,
    );
    const top = domains.rows.map((row) => ({ domain: row.domain, users: Number(row.users) }));
    const byRole = Object.fromEntries(roles.rows.map((row) => [row.role, Number(row.n)]));
    return { total, byRole, topEmailDomains: top };
  });
}

describe('users task types (e2e)', () => {
  let t: TestApp;
  let mailDir: string;
  let tasks: TasksApi;
  let users: UsersApi;

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'users-tasks-mail-'));
    // A fast cancel poll so the cancel lands well before the summary's last page.
    t = await createTestApp({ env: { ...TASKS_TEST_ENV, MAIL_DIR: mailDir, TASK_CANCEL_POLL_MS: '100' } });
    let admin: AuthSession;
    ({ api: users, admin } = await adminUsersApi(t));
    tasks = tasksApi(t.url, admin.headers);
  });
  afterAll(async () => {
    await t?.close();
    await rm(mailDir, { recursive: true, force: true });
  });

  const mailFile = (userId: string) => join(mailDir, `welcome-${userId}.eml`);
  /** Submits as the application's own code does (no caller: the welcome email is nobody's to submit through the API). */
  const submitInternally = async (input: SubmitTaskCommand['input']) => {
    const { task, created } = await t.app.get(CommandBus).execute(new SubmitTaskCommand(input));
    return { task: await tasks.get(task.id), created };
  };
  const mailFilesOf = async (userId: string) => (await readdir(mailDir)).filter((name) => name.includes(userId));

  describe(WELCOME, () => {
    it('is queued once on registration, with the request id, and writes the welcome message', async () => {
      const email = `${uniqueTag('welcome')}@example.com`;
      const res = await users.post({ email, name: 'Ada Welcome' });
      expect(res.status).toBe(201);
      const user = (await res.json()) as { id: string };

      const queued = await queuedWelcomeOf(tasks, user.id);

      expect(queued).toMatchObject({
        type: WELCOME,
        idempotencyKey: expect.stringMatching(new RegExp(`^${WELCOME}:[0-9a-f-]{36}$`)),
        requestId: res.headers.get('x-request-id'),
      });
      expect(queued.payload).toEqual({ userId: user.id });
      const done = await tasks.waitFor(queued.id, isFinished);
      expect(done).toMatchObject({ status: 'succeeded', result: { sent: true, to: email } });
      const message = await readFile(mailFile(user.id), 'utf8');
      expect(message).toMatch(new RegExp(`^To: ${email}$`, 'm'));
      expect(message).toMatch(/^Subject: Welcome!$/m);
      // A fixed text: the name is whatever the signer typed, and the address is not verified yet.
      expect(message).toContain('your account is ready.');
      expect(message).not.toContain('Ada Welcome');
      expect(await welcomeTasksOf(tasks, user.id)).toHaveLength(1);
    });

    it('answers a repeated submission with the same key with the first task; nobody may submit it through the API', async () => {
      const user = await users.register(`${uniqueTag('replay')}@example.com`, 'Replay');
      const first = await tasks.waitFor((await queuedWelcomeOf(tasks, user.id)).id, isFinished);
      const key = first.idempotencyKey!;

      const again = await submitInternally({ type: WELCOME, payload: { userId: user.id }, idempotencyKey: key });

      expect(again).toEqual({ task: first, created: false });
      // Not even an admin: the key and the task stay the application's, and no second mail goes out.
      const viaApi = await tasks.submit({ type: WELCOME, payload: { userId: user.id } }, { 'idempotency-key': key });
      await expectValidationProblem(viaApi, ['type']);
      expect(await welcomeTasksOf(tasks, user.id)).toEqual([first]);
      expect(await mailFilesOf(user.id)).toEqual([`welcome-${user.id}.eml`]);
    });

    it('sends nothing, and succeeds saying why, for a user deleted before the task runs', async () => {
      const user = await users.register(`${uniqueTag('gone')}@example.com`, 'Soon Gone');
      await tasks.waitFor((await queuedWelcomeOf(tasks, user.id)).id, isFinished);
      await rm(mailFile(user.id));

      const { task: late } = await submitInternally({ type: WELCOME, payload: { userId: user.id }, delayMs: 800 });
      expect((await users.remove(user.id)).status).toBe(204);
      // Guards the premise: had the task already run, this test would prove nothing.
      expect((await tasks.get(late.id)).status).toBe('queued');

      const done = await tasks.waitFor(late.id, isFinished);
      expect(done).toMatchObject({ status: 'succeeded', result: { sent: false, reason: expect.any(String) } });
      expect(await mailFilesOf(user.id)).toEqual([]);
    });

    it('sends nothing for a user that never existed', async () => {
      const userId = randomUUID();

      const { task } = await submitInternally({ type: WELCOME, payload: { userId } });
      const done = await tasks.waitFor(task.id, isFinished);

      expect(done).toMatchObject({ status: 'succeeded', result: { sent: false, reason: expect.any(String) } });
      expect(await mailFilesOf(userId)).toEqual([]);
    });
  });

  describe(SUMMARISE, () => {
    /** Ties at the top (alpha/zeta) and at the cut (c-tie kept, d-tie dropped) check the order. */
    const SEEDS: [string, number][] = [
      ['zeta.test', 6],
      ['alpha.test', 6],
      ['mid.test', 5],
      ['beta.test', 4],
      ['d-tie.test', 3],
      ['c-tie.test', 3],
    ];

    beforeAll(async () => {
      for (const [domain, count] of SEEDS)
        for (let i = 0; i < count; i++) await users.register(`${uniqueTag('s')}@${domain}`, `Seed ${domain} ${i}`);
    });

    it('counts every user by role and lists the five most common email domains', async () => {
      const expected = await expectedSummary(t.databaseUrl);
      // Every user the API registers has the role `user`; the one admin is the test's own account.
      expect(expected.byRole).toEqual({ user: expected.total - 1, admin: 1 });
      expect(expected.topEmailDomains.map((entry) => entry.domain)).toEqual([
        'alpha.test',
        'zeta.test',
        'mid.test',
        'beta.test',
        'c-tie.test',
      ]);

      const task = await tasks.create({ type: SUMMARISE, payload: { pageSize: 5 } });
      const done = await tasks.waitFor(task.id, isFinished);

      expect(done).toMatchObject({ status: 'succeeded', progress: 100 });
      expect(done.result).toEqual(expected);
    });

    it('reports progress page by page, and stops when cancelled mid-way', async () => {
      const task = await tasks.create({ type: SUMMARISE, payload: { pageSize: 5, pauseMs: 300 } });

      const midway = await tasks.waitFor(task.id, (seen) => seen.progress > 0 || isFinished(seen));
      expect(midway.status).toBe('running');
      expect(midway.progress).toBeGreaterThan(0);
      expect(midway.progress).toBeLessThan(100);

      const res = await tasks.cancel(task.id);
      expect(res.status).toBe(202);
      expect(((await res.json()) as TaskJson).cancelRequestedAt).not.toBeNull();
      const done = await tasks.waitFor(task.id, isFinished);
      expect(done.status).toBe('cancelled');
      expect(done.progress).toBeLessThan(100);
      expect(done.result).toBeNull();
    });

    it.each([
      [{ pageSize: 0 }, 'payload.pageSize'],
      [{ pageSize: 1001 }, 'payload.pageSize'],
      [{ pageSize: 2.5 }, 'payload.pageSize'],
      [{ pauseMs: -1 }, 'payload.pauseMs'],
      [{ pauseMs: 10_001 }, 'payload.pauseMs'],
      [{ pageSize: 5, everyone: true }, 'payload.everyone'],
    ])('refuses the payload %j with a 400 naming %s', async (payload, field) => {
      await expectValidationProblem(await tasks.submit({ type: SUMMARISE, payload }), [field]);
    });
  });
});
