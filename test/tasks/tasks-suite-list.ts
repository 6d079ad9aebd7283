import { readJson } from '../helpers/http.js';
import { expectValidationProblem } from '../helpers/problem.js';
import type { TaskJson, TaskPageJson } from './tasks-api.js';
import { allTasks, flaky, type SuiteApp, walkPages } from './tasks-suite-helpers.js';

const idsOf = (tasks: TaskJson[]) => tasks.map((task) => task.id);
const descending = (ids: string[]) => ids.toSorted().toReversed();

/** GET /v1/tasks: order, pages and filters. */
export function listTests(s: SuiteApp): void {
  describe('GET /v1/tasks', () => {
    /** Created in this order, oldest first. */
    const created: TaskJson[] = [];
    let delayed: TaskJson;
    /** A second type, waiting: never run (cancelled at the end). */
    let hook: TaskJson;

    beforeAll(async () => {
      for (let index = 0; index < 5; index += 1)
        created.push(await s.api.create({ type: 'tasks.echo', payload: { message: `list ${index}` } }));
      hook = await s.api.create({ ...flaky('list'), delayMs: 60_000 });
      delayed = await s.api.create({ type: 'tasks.echo', payload: { message: 'list delayed' }, delayMs: 60_000 });
      for (const task of created) await s.api.waitFor(task.id, (current) => current.status === 'succeeded', 15_000);
    });
    afterAll(async () => {
      await s.api.cancel(delayed.id);
      await s.api.cancel(hook.id);
    });

    it('lists newest first, honouring limit', async () => {
      const page = await readJson<TaskPageJson>(await s.api.list({ limit: '7' }), 200);
      expect(idsOf(page.items)).toEqual([delayed.id, hook.id, ...idsOf(created).toReversed()]);
      expect(page.nextCursor).toEqual(expect.any(String));
      const times = page.items.map((task) => Date.parse(task.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(page.items[2]).toEqual(await s.api.get(created[4].id));
    });

    it('uses 20 as the default limit', async () => {
      const everything = await allTasks(s.api);
      const page = await readJson<TaskPageJson>(await s.api.list(), 200);
      expect(idsOf(page.items)).toEqual(idsOf(everything).slice(0, 20));
      expect(page.nextCursor === null).toBe(everything.length <= 20);
    });

    it('walks every page with nextCursor, without duplicates or gaps', async () => {
      const everything = idsOf(await allTasks(s.api));
      expect(everything.length).toBeGreaterThanOrEqual(7);
      const pages = await walkPages(s.api, { limit: '2' });
      const walked = pages.flatMap((page) => idsOf(page.items));
      expect(walked).toEqual(everything);
      expect(new Set(walked).size).toBe(walked.length);
      expect(walked).toEqual(descending(walked));
      expect(pages.slice(0, -1).every((page) => page.items.length === 2 && page.nextCursor !== null)).toBe(true);
      expect(pages.at(-1)?.nextCursor).toBeNull();
      expect(pages.at(-1)?.items.length).toBeGreaterThan(0);
    });

    it('ends with a null nextCursor when the last page is exactly full', async () => {
      const total = (await allTasks(s.api)).length;
      const pages = await walkPages(s.api, { limit: String(total) });
      expect(pages).toHaveLength(1);
      expect(pages[0].items).toHaveLength(total);
    });

    it('filters by status', async () => {
      const queued = await allTasks(s.api, { status: 'queued' });
      expect(idsOf(queued)).toEqual(expect.arrayContaining([delayed.id, hook.id]));
      expect(queued.every((task) => task.status === 'queued')).toBe(true);

      const succeeded = await allTasks(s.api, { status: 'succeeded' });
      expect(idsOf(succeeded)).toEqual(expect.arrayContaining(idsOf(created)));
      expect(idsOf(succeeded)).not.toContain(delayed.id);
      expect(succeeded.every((task) => task.status === 'succeeded')).toBe(true);
      expect(idsOf(succeeded)).toEqual(descending(idsOf(succeeded)));
    });

    it('filters by type, alone and with status, across pages', async () => {
      const hooks = await allTasks(s.api, { type: 'test.flaky' });
      expect(idsOf(hooks)).toContain(hook.id);
      expect(hooks.every((task) => task.type === 'test.flaky')).toBe(true);

      const echoes = await walkPages(s.api, { type: 'tasks.echo', status: 'succeeded', limit: '2' });
      const echoIds = echoes.flatMap((page) => idsOf(page.items));
      expect(echoIds).toEqual(expect.arrayContaining(idsOf(created)));
      expect(echoIds).not.toContain(hook.id);
      expect(echoIds).not.toContain(delayed.id);
      expect(echoes.flatMap((page) => page.items).every((task) => task.type === 'tasks.echo')).toBe(true);

      expect((await allTasks(s.api, { type: 'tasks.unknown' })).length).toBe(0);
    });

    it.each([
      ['an unknown status', { status: 'done' }, ['status']],
      ['limit 0', { limit: '0' }, ['limit']],
      ['limit 101', { limit: '101' }, ['limit']],
      ['a limit that is not a number', { limit: 'ten' }, ['limit']],
      ['a fractional limit', { limit: '2.5' }, ['limit']],
      ['a cursor that was never issued', { cursor: 'not-a-cursor' }, ['cursor']],
      ['an unknown parameter', { sort: 'asc' }, ['sort']],
    ])('rejects %s with a 400 naming it', async (_case, query, fields) => {
      await expectValidationProblem(await s.api.list(query), fields);
    });
  });
}
