import { InMemoryTaskRepository } from '../../../../../../test/fakes/in-memory-task.repository.js';
import { newId } from '../../../../../shared/ids.js';
import type { TaskActor } from '../../../domain/task.js';
import { GetTaskHandler } from '../get-task/get-task.handler.js';
import { GetTaskQuery } from '../get-task/get-task.query.js';
import { ListTasksHandler } from './list-tasks.handler.js';
import { ListTasksQuery } from './list-tasks.query.js';

const USER: TaskActor = { userId: newId(), role: 'user' };
const OTHER: TaskActor = { userId: newId(), role: 'user' };
const ADMIN: TaskActor = { userId: newId(), role: 'admin' };

function setup() {
  const tasks = new InMemoryTaskRepository();
  const seed = (ownerId: string | null) => tasks.seed({ id: newId(), type: 'test.greet', ownerId });
  const mine = seed(USER.userId);
  const theirs = seed(OTHER.userId);
  const internal = seed(null);
  const list = (reader: TaskActor, ownerId?: string) =>
    new ListTasksHandler(tasks).execute(new ListTasksQuery(reader, 10, undefined, undefined, undefined, ownerId));
  const get = (reader: TaskActor, id: string) => new GetTaskHandler(tasks).execute(new GetTaskQuery(id, reader));
  return { mine, theirs, internal, list, get };
}

const ids = async (page: Promise<{ tasks: { id: string }[] }>) => (await page).tasks.map((task) => task.id);

describe('reading tasks: each user their own, admins all', () => {
  it('lists only the reader’s own tasks, with or without ownerId naming themselves', async () => {
    const { mine, list } = setup();

    expect(await ids(list(USER))).toEqual([mine.id]);
    expect(await ids(list(USER, USER.userId))).toEqual([mine.id]);
  });

  it('refuses a user who names someone else as ownerId, naming the field', async () => {
    const { list } = setup();

    await expect(list(USER, OTHER.userId)).rejects.toMatchObject({
      code: 'TASKS.INVALID',
      problems: [{ field: 'ownerId', messages: [expect.stringContaining('only admins')] }],
    });
  });

  it('lists every task for an admin, or one owner’s with ownerId', async () => {
    const { mine, theirs, internal, list } = setup();

    expect(await ids(list(ADMIN))).toEqual([internal.id, theirs.id, mine.id]);
    expect(await ids(list(ADMIN, OTHER.userId))).toEqual([theirs.id]);
  });

  it("answers another user's task and an ownerless one as not found; an admin reads both", async () => {
    const { mine, theirs, internal, get } = setup();

    expect(await get(USER, mine.id)).toEqual(mine);
    for (const task of [theirs, internal]) {
      await expect(get(USER, task.id)).rejects.toMatchObject({ code: 'TASKS.NOT_FOUND', taskId: task.id });
      expect(await get(ADMIN, task.id)).toEqual(task);
    }
  });
});
