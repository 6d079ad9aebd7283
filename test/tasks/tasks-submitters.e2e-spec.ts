import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminSession, signUp } from '../helpers/auth.js';
import { expectProblem, expectValidationProblem } from '../helpers/problem.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import {
  ADMITTED,
  INTERNAL_ONLY,
  LEAKED_DETAILS,
  LEAKY,
  LeakyTaskModule,
  OUTBOUND,
  SubmittersModule,
} from '../fakes/task-types.js';
import { isFinished, TASKS_TEST_ENV, tasksApi, type TasksApi, verifyEmail } from './tasks-api.js';

async function taskCount(databaseUrl: string): Promise<number> {
  return withClient(databaseUrl, async (db) => Number((await db.query('SELECT count(*) AS n FROM tasks')).rows[0].n));
}

/**
 * Who may submit what (`submitters`, `outbound`, a type's `admit`), and what a failed task
 * tells its owner. The rules do not depend on the queue backend: PostgreSQL only.
 */
describe('task submission rules (e2e)', () => {
  let t: TestApp;
  let mailDir: string;

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'tasks-submitters-mail-'));
    t = await createTestApp({
      env: { ...TASKS_TEST_ENV, REDIS_URL: undefined, MAIL_DIR: mailDir },
      imports: [SubmittersModule, LeakyTaskModule],
    });
  });
  afterAll(async () => {
    await t?.close();
    await rm(mailDir, { recursive: true, force: true });
  });

  async function verifiedUser(): Promise<{ api: TasksApi; userId: string }> {
    const session = await signUp(t.url);
    await verifyEmail(t.databaseUrl, session.userId);
    return { api: tasksApi(t.url, session.headers), userId: session.userId };
  }

  describe('the application’s own types', () => {
    it('refuses a user who asks for another user’s welcome email (no mail bombs): 400 on type, nothing stored or sent', async () => {
      const attacker = await verifiedUser();
      const victim = await signUp(t.url);
      // The victim's own welcome mail is sent first, so that what follows can be counted.
      await waitForMails(victim.userId, 1);
      const before = await taskCount(t.databaseUrl);

      for (let n = 0; n < 3; n += 1) {
        const res = await attacker.api.submit({
          type: 'users.send-welcome-email',
          payload: { userId: victim.userId },
        });
        const problem = await expectValidationProblem(res, ['type']);
        expect(problem.errors?.[0].messages.join(' ')).not.toContain('users.send-welcome-email');
      }

      expect(await taskCount(t.databaseUrl)).toBe(before);
      expect(await mailsOf(victim.userId)).toEqual([`welcome-${victim.userId}.eml`]);
    });

    it('refuses an admin an internal type too, while the application may submit it', async () => {
      const admin = await adminSession(t.url, t.databaseUrl);
      const res = await tasksApi(t.url, admin.headers).submit({ type: INTERNAL_ONLY, payload: { name: 'x' } });
      await expectValidationProblem(res, ['type']);
    });
  });

  describe('outbound types need a verified email', () => {
    it.each(['webhooks.deliver', OUTBOUND])(
      'answers an unverified account 403 TASKS.EMAIL_NOT_VERIFIED for %s, storing nothing',
      async (type) => {
        const session = await signUp(t.url);
        const api = tasksApi(t.url, session.headers);
        const before = await taskCount(t.databaseUrl);

        const problem = await expectProblem(
          await api.submit({ type, payload: { name: 'x' } }),
          403,
          'TASKS.EMAIL_NOT_VERIFIED',
        );

        expect(problem.detail).toContain(type);
        expect(problem.detail).toMatch(/verify your email/i);
        expect(await taskCount(t.databaseUrl)).toBe(before);
      },
    );

    it('accepts the same submission once the email is verified', async () => {
      const session = await signUp(t.url);
      const api = tasksApi(t.url, session.headers);
      await expectProblem(
        await api.submit({ type: OUTBOUND, payload: { name: 'x' } }),
        403,
        'TASKS.EMAIL_NOT_VERIFIED',
      );

      await verifyEmail(t.databaseUrl, session.userId);

      const task = await api.create({ type: OUTBOUND, payload: { name: 'x' } });
      expect(await api.waitFor(task.id, isFinished)).toMatchObject({ status: 'succeeded', ownerId: session.userId });
    });
  });

  it('turns the problems of a type’s admit check into a 400 naming the field, storing nothing', async () => {
    const { api } = await verifiedUser();
    const before = await taskCount(t.databaseUrl);

    const problem = await expectValidationProblem(await api.submit({ type: ADMITTED, payload: { name: 'nobody' } }), [
      'payload.name',
    ]);

    expect(problem.errors?.[0].messages).toEqual(['name must name someone']);
    expect(await taskCount(t.databaseUrl)).toBe(before);
    expect((await api.create({ type: ADMITTED, payload: { name: 'Ada' } })).status).toBe('queued');
  });

  it('shows the owner of a failed task a stable code and no internal address; the log has the whole error', async () => {
    const { api } = await verifiedUser();
    const task = await api.create({ type: LEAKY, payload: {} });

    const failed = await api.waitFor(task.id, isFinished);

    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'TASKS.HANDLER_FAILED', message: expect.stringContaining('logs'), attempt: 1 },
    });
    const shown = JSON.stringify(failed) + JSON.stringify(await api.list({ type: LEAKY }).then((res) => res.json()));
    for (const secret of ['10.20.30.40', '6379', 'internal.example', 'ECONNREFUSED', 'cache-1'])
      expect(shown).not.toContain(secret);
    const logged = t.logs.lines.filter(
      (line) => line.taskId === task.id && JSON.stringify(line.err ?? '').includes(LEAKED_DETAILS),
    );
    expect(logged.length).toBeGreaterThan(0);
  });

  /** The mail files the development mailer wrote for one user. */
  async function mailsOf(userId: string): Promise<string[]> {
    return (await readdir(mailDir)).filter((name) => name.includes(userId));
  }

  async function waitForMails(userId: string, count: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while ((await mailsOf(userId)).length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} mails for ${userId}, found ${await mailsOf(userId)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
});
