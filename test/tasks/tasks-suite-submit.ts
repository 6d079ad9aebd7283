import { randomUUID } from 'node:crypto';
import { UNKNOWN_ID, UUID_V7 } from '../helpers/http.js';
import { expectProblem, expectValidationProblem } from '../helpers/problem.js';
import { allTaskIds, allTasks, ms, readTask, type SuiteApp, type TasksApi } from './tasks-suite-helpers.js';

const echo = (message: string, extra: Record<string, unknown> = {}) => ({
  type: 'tasks.echo',
  payload: { message, ...extra },
});

/** Ids of the echo tasks holding this idempotency key. */
async function keyedIds(api: TasksApi, key: string): Promise<string[]> {
  const tasks = await allTasks(api, { type: 'tasks.echo' });
  return tasks.filter((task) => task.idempotencyKey === key).map((task) => task.id);
}

/** Submitting, following and reading one task; idempotency keys. */
export function submitTests(s: SuiteApp): void {
  describe('POST /v1/tasks then GET /v1/tasks/:id', () => {
    it('answers 202 with Location and the queued task, which then succeeds with its result', async () => {
      const res = await s.api.submit(echo('hello', { durationMs: 300 }));
      const accepted = await readTask(res, 202);
      expect(accepted.id).toMatch(UUID_V7);
      expect(res.headers.get('location')).toBe(`/v1/tasks/${accepted.id}`);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
      expect(['queued', 'running', 'succeeded']).toContain(accepted.status);
      expect(accepted).toMatchObject({
        type: 'tasks.echo',
        payload: { message: 'hello', durationMs: 300 },
        maxAttempts: 3,
        idempotencyKey: null,
        requestId: res.headers.get('x-request-id'),
      });
      expect(accepted.requestId).toEqual(expect.any(String));

      const done = await s.api.waitFor(accepted.id, (task) => task.status === 'succeeded', 15_000);
      expect(done).toMatchObject({ result: { message: 'hello' }, progress: 100, attempts: 1, error: null });
      expect(done.requestId).toBe(accepted.requestId);
      expect(ms(done.startedAt)).toBeGreaterThanOrEqual(ms(done.createdAt));
      expect(ms(done.finishedAt)).toBeGreaterThanOrEqual(ms(done.startedAt));
      expect(done.nextAttemptAt).toBeNull();

      const viaLocation = await fetch(`${s.t.url}${res.headers.get('location')}`, { headers: s.session.headers });
      expect(await readTask(viaLocation, 200)).toEqual(await s.api.get(accepted.id));
    });

    it('holds a delayed task until delayMs has passed, then runs it', async () => {
      const sentAt = Date.now();
      const queued = await s.api.create({ ...echo('later'), delayMs: 1500 });
      const answeredAt = Date.now();
      expect(queued).toMatchObject({ status: 'queued', attempts: 0, startedAt: null });
      expect(ms(queued.nextAttemptAt)).toBeGreaterThanOrEqual(sentAt + 1500 - 5);
      expect(ms(queued.nextAttemptAt)).toBeLessThanOrEqual(answeredAt + 1500 + 5);

      const done = await s.api.waitFor(queued.id, (task) => task.status === 'succeeded', 15_000);
      expect(ms(done.startedAt)).toBeGreaterThanOrEqual(ms(done.createdAt) + 1400);
      expect(done).toMatchObject({ attempts: 1, result: { message: 'later' }, nextAttemptAt: null });
    });

    it('answers 404 TASKS.NOT_FOUND for an unknown id and 400 naming id for a malformed one', async () => {
      const missing = await expectProblem(await s.api.call('GET', `/v1/tasks/${UNKNOWN_ID}`), 404, 'TASKS.NOT_FOUND');
      expect(missing.detail).toContain(UNKNOWN_ID);
      await expectValidationProblem(await s.api.call('GET', '/v1/tasks/not-a-uuid'), ['id']);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first task for the same key and body, even with keys in another order', async () => {
      const key = randomUUID();
      const first = await s.api.submit(
        { type: 'tasks.echo', payload: { message: 'once', durationMs: 0 }, maxAttempts: 2 },
        { 'idempotency-key': key },
      );
      const created = await readTask(first, 202);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(created.idempotencyKey).toBe(key);

      const again = await s.api.submit(
        { maxAttempts: 2, payload: { durationMs: 0, message: 'once' }, type: 'tasks.echo' },
        { 'idempotency-key': key },
      );
      const replayed = await readTask(again, 202);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('location')).toBe(`/v1/tasks/${created.id}`);
      expect(replayed.id).toBe(created.id);
      expect(await keyedIds(s.api, key)).toEqual([created.id]);
    });

    it('answers 409 TASKS.IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
      const key = randomUUID();
      const created = await s.api.create(echo('original'), { 'idempotency-key': key });
      for (const other of [
        echo('changed'),
        { ...echo('original'), delayMs: 10 },
        { ...echo('original'), maxAttempts: 1 },
      ]) {
        const problem = await expectProblem(
          await s.api.submit(other, { 'idempotency-key': key }),
          409,
          'TASKS.IDEMPOTENCY_KEY_REUSED',
        );
        expect(problem.detail).toContain(created.id);
      }
      expect(await keyedIds(s.api, key)).toEqual([created.id]);
    });

    it.each([
      ['300 characters', 'k'.repeat(300)],
      ['a space', 'two words'],
      ['an empty value', ''],
    ])('rejects a key with %s: 400 naming Idempotency-Key, nothing stored', async (_case, key) => {
      const before = await allTaskIds(s.api);
      const problem = await expectValidationProblem(await s.api.submit(echo('keyed'), { 'idempotency-key': key }), [
        'Idempotency-Key',
      ]);
      expect(problem.errors?.[0].messages.join(' ')).toContain('Idempotency-Key');
      expect(await allTaskIds(s.api)).toEqual(before);
    });

    it('gives 10 concurrent submissions of one key and body the same single task', async () => {
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => s.api.submit(echo('racing'), { 'idempotency-key': key })),
      );
      const tasks = await Promise.all(responses.map((res) => readTask(res, 202)));
      expect(new Set(tasks.map((task) => task.id)).size).toBe(1);
      const replays = responses.filter((res) => res.headers.get('idempotent-replayed') === 'true');
      expect(replays).toHaveLength(9);
      expect(await keyedIds(s.api, key)).toEqual([tasks[0].id]);
      await s.api.waitFor(tasks[0].id, (task) => task.status === 'succeeded', 15_000);
    });
  });
}
