import { randomUUID } from 'node:crypto';
import { UNKNOWN_ID, readJson } from '../helpers/http.js';
import { type Problem, expectProblem, expectValidationProblem } from '../helpers/problem.js';
import { withClient } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait-for.js';
import type { TaskJson, TaskPageJson, TasksApi } from './tasks-api.js';
import { allTasks, readTask, type SuiteApp } from './tasks-suite-helpers.js';

const echo = (message: string, extra: Record<string, unknown> = {}) => ({
  type: 'tasks.echo',
  payload: { message, ...extra },
});

/** What a problem says, without what differs between any two requests (their id, path, the task id). */
const gist = (problem: Problem, id: string) => ({
  ...problem,
  detail: problem.detail.replace(id, '<id>'),
  instance: problem.instance.replace(id, '<id>'),
  requestId: '',
});

/** The application's own tasks of one kind for one user, as an admin finds them. */
async function ownTasksOf(admin: TasksApi, type: string, userId: string): Promise<TaskJson[]> {
  return (await allTasks(admin, { type })).filter((task) => task.payload.userId === userId);
}

/** The same period `auth/application/mail-period.ts` keys its mails with (5 minutes). */
const mailPeriod = (at: number) => Math.floor(at / (5 * 60_000));

/** Who may reach which task; Idempotency-Key per owner. */
export function ownershipTests(s: SuiteApp): void {
  describe('tasks belong to their submitter', () => {
    let mine: TaskJson;
    beforeAll(async () => {
      mine = await s.api.create({ ...echo('mine'), delayMs: 60_000 });
    });
    afterAll(async () => {
      await s.api.cancel(mine.id);
    });

    it('records the submitter as the owner', () => {
      expect(mine.ownerId).toBe(s.session.userId);
    });

    it("answers another user's GET exactly as it answers a missing task: 404 TASKS.NOT_FOUND", async () => {
      const theirs = await expectProblem(await s.other.api.call('GET', `/v1/tasks/${mine.id}`), 404, 'TASKS.NOT_FOUND');
      const missing = await expectProblem(
        await s.other.api.call('GET', `/v1/tasks/${UNKNOWN_ID}`),
        404,
        'TASKS.NOT_FOUND',
      );
      expect(gist(theirs, mine.id)).toEqual(gist(missing, UNKNOWN_ID));
    });

    it("answers another user's cancel with the same 404, and the task stays as it was", async () => {
      const theirs = await expectProblem(await s.other.api.cancel(mine.id), 404, 'TASKS.NOT_FOUND');
      const missing = await expectProblem(await s.other.api.cancel(UNKNOWN_ID), 404, 'TASKS.NOT_FOUND');
      expect(gist(theirs, mine.id)).toEqual(gist(missing, UNKNOWN_ID));
      expect(await s.api.get(mine.id)).toMatchObject({ status: 'queued', cancelRequestedAt: null });
    });

    it("leaves other users' tasks out of a user's list, whatever the filters", async () => {
      const queries: Record<string, string>[] = [
        {},
        { type: 'tasks.echo' },
        { status: 'queued' },
        { ownerId: s.other.session.userId },
      ];
      for (const query of queries) {
        const listed = await allTasks(s.other.api, query);
        expect(listed.map((task) => task.id)).not.toContain(mine.id);
        expect(listed.every((task) => task.ownerId === s.other.session.userId)).toBe(true);
      }
      expect((await allTasks(s.api)).map((task) => task.id)).toContain(mine.id);
    });

    it('answers a user naming someone else as ownerId with a 400 naming ownerId', async () => {
      const problem = await expectValidationProblem(await s.other.api.list({ ownerId: s.session.userId }), ['ownerId']);
      expect(problem.errors?.[0].messages.join(' ')).toMatch(/only admins/);
      await expectValidationProblem(await s.api.list({ ownerId: 'not-a-uuid' }), ['ownerId']);
    });

    it('lets an admin read and list any task, and pick one owner with ?ownerId=', async () => {
      expect(await s.admin.api.get(mine.id)).toEqual(await s.api.get(mine.id));
      const everyone = await allTasks(s.admin.api, { type: 'tasks.echo' });
      expect(everyone.map((task) => task.id)).toContain(mine.id);
      const owners = new Set(everyone.map((task) => task.ownerId));
      expect(owners.has(s.session.userId)).toBe(true);

      const onlyMine = await allTasks(s.admin.api, { ownerId: s.session.userId });
      expect(onlyMine.map((task) => task.id)).toContain(mine.id);
      expect(onlyMine.every((task) => task.ownerId === s.session.userId)).toBe(true);
    });

    it("lets an admin cancel a user's task", async () => {
      const task = await s.api.create({ ...echo('admin cancels'), delayMs: 60_000 });
      expect(await readTask(await s.admin.api.cancel(task.id), 200)).toMatchObject({ status: 'cancelled' });
      expect((await s.api.get(task.id)).status).toBe('cancelled');
    });

    it("hides the application's own tasks (a sign-up's welcome email) from users; admins see them", async () => {
      const [welcome] = await waitFor(
        'the welcome task of the suite user',
        () => ownTasksOf(s.admin.api, 'users.send-welcome-email', s.session.userId),
        (found) => found.length === 1,
      );
      expect(welcome.ownerId).toBeNull();
      await expectProblem(await s.api.call('GET', `/v1/tasks/${welcome.id}`), 404, 'TASKS.NOT_FOUND');
      await expectProblem(await s.api.cancel(welcome.id), 404, 'TASKS.NOT_FOUND');
      const page = await readJson<TaskPageJson>(await s.api.list({ type: 'users.send-welcome-email' }), 200);
      expect(page.items).toEqual([]);
    });
  });

  describe('Idempotency-Key belongs to its owner', () => {
    it("gives another user sending the same key and body a task of their own, never the owner's", async () => {
      const key = randomUUID();
      const body = echo('keyed', { durationMs: 0 });
      const first = await s.api.create(body, { 'idempotency-key': key });

      const res = await s.other.api.submit(body, { 'idempotency-key': key });

      const theirs = await readTask(res, 202);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.id).not.toBe(first.id);
      expect(theirs.ownerId).toBe(s.other.session.userId);
      // With another body the key is still theirs alone: no 409 naming the owner's task.
      const other = await readTask(await s.other.api.submit(echo('else'), { 'idempotency-key': randomUUID() }), 202);
      expect(other.id).not.toBe(first.id);
      const replay = await s.api.submit(body, { 'idempotency-key': key });
      expect((await readTask(replay, 202)).id).toBe(first.id);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
    });

    it("does not let a user claim the key of the application's own task in advance (password reset)", async () => {
      const now = Date.now();
      // The key auth uses for this account's reset mail, for this period and the next.
      for (const period of [mailPeriod(now), mailPeriod(now) + 1]) {
        await s.other.api.create(echo('squatting'), {
          'idempotency-key': `auth.send-password-reset:${s.session.userId}:${period}`,
        });
      }

      const res = await fetch(`${s.t.url}/v1/auth/password-reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: s.session.email }),
      });
      expect(res.status).toBe(202);

      const [reset] = await waitFor(
        'the password-reset task',
        () => ownTasksOf(s.admin.api, 'auth.send-password-reset', s.session.userId),
        (found) => found.length === 1,
        { timeoutMs: 15_000 },
      );
      expect(reset.ownerId).toBeNull();
      const done = await s.admin.api.waitFor(reset.id, (task) => task.status !== 'queued' && task.status !== 'running');
      expect(done.status).toBe('succeeded');
    });

    it('makes a new task with a key whose time is over, even with another body', async () => {
      const key = randomUUID();
      const first = await s.api.create(echo('before'), { 'idempotency-key': key });
      expect(first.idempotencyKey).toBe(key);
      await withClient(s.t.databaseUrl, (db) =>
        db.query(`UPDATE tasks SET idempotency_expires_at = now() - interval '1 second' WHERE id = $1`, [first.id]),
      );

      const res = await s.api.submit(echo('after'), { 'idempotency-key': key });

      const second = await readTask(res, 202);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
      expect(second).toMatchObject({ idempotencyKey: key, payload: { message: 'after' } });
      expect(second.id).not.toBe(first.id);
      expect((await s.api.get(first.id)).idempotencyKey).toBeNull();
    });
  });
}
