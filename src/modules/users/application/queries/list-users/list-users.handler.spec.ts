import { encodeCursor } from '../../../../../shared/cursor.js';
import { InvalidUserError } from '../../../domain/user.errors.js';
import { User } from '../../../domain/user.js';
import { InMemoryUserRepository } from '../../../infrastructure/in-memory-user.repository.js';
import { ListUsersHandler } from './list-users.handler.js';
import { ListUsersQuery, type UserPage } from './list-users.query.js';

const REGISTERED_AT = new Date('2024-01-01T00:00:00.000Z');

/** Ids that sort in the order of `n`, whatever order the users are added in. */
const idOf = (n: number) => `01936f5e-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

async function repositoryWith(people: { n: number; email: string; name: string }[]) {
  const users = new InMemoryUserRepository();
  for (const { n, email, name } of people)
    await users.add(User.register({ id: idOf(n), email, name, now: REGISTERED_AT }));
  return users;
}

/** `count` users, added in reverse id order so that the order of the pages is the handler's doing. */
async function numberedUsers(count: number) {
  const people = Array.from({ length: count }, (_, i) => ({
    n: i + 1,
    email: `user${i + 1}@example.com`,
    name: `User ${i + 1}`,
  }));
  return repositoryWith(people.toReversed());
}

/** Follows `nextCursor` until the last page. */
async function allPages(handler: ListUsersHandler, limit: number, filters: { email?: string; q?: string } = {}) {
  const pages: UserPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await handler.execute(new ListUsersQuery(limit, cursor, filters.email, filters.q));
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > 50) throw new Error('pagination does not end');
  } while (cursor !== undefined);
  return pages;
}

const ids = (page: UserPage) => page.users.map((user) => user.id);

describe('ListUsersHandler', () => {
  it('pages through all users in id order, without duplicates or gaps', async () => {
    const handler = new ListUsersHandler(await numberedUsers(7));

    const pages = await allPages(handler, 3);

    expect(pages.map(ids)).toEqual([[idOf(1), idOf(2), idOf(3)], [idOf(4), idOf(5), idOf(6)], [idOf(7)]]);
    expect(pages.map((page) => page.nextCursor !== undefined)).toEqual([true, true, false]);
  });

  it('has no next cursor on a full last page', async () => {
    const handler = new ListUsersHandler(await numberedUsers(6));

    const pages = await allPages(handler, 3);

    expect(pages.map((page) => page.users.length)).toEqual([3, 3]);
    expect(pages[1].nextCursor).toBeUndefined();
    expect(pages[1]).not.toHaveProperty('nextCursor');
  });

  it('returns one page with no cursor when everything fits', async () => {
    const handler = new ListUsersHandler(await numberedUsers(2));

    const page = await handler.execute(new ListUsersQuery(10));

    expect(ids(page)).toEqual([idOf(1), idOf(2)]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('returns an empty page for no users', async () => {
    const handler = new ListUsersHandler(new InMemoryUserRepository());

    expect(await handler.execute(new ListUsersQuery(5))).toEqual({ users: [] });
  });

  it('gives the same pages when asked again (stable order)', async () => {
    const handler = new ListUsersHandler(await numberedUsers(5));

    const first = (await allPages(handler, 2)).map(ids);
    const second = (await allPages(handler, 2)).map(ids);

    expect(second).toEqual(first);
  });

  it('continues after the cursor even when the user it points at was deleted', async () => {
    const users = await numberedUsers(5);
    const handler = new ListUsersHandler(users);
    const first = await handler.execute(new ListUsersQuery(2));
    await users.remove((await users.findById(idOf(2)))!);

    const second = await handler.execute(new ListUsersQuery(2, first.nextCursor));

    expect(ids(second)).toEqual([idOf(3), idOf(4)]);
  });

  it('continues after the id a cursor carries', async () => {
    const handler = new ListUsersHandler(await numberedUsers(5));

    const page = await handler.execute(new ListUsersQuery(10, encodeCursor(idOf(3))));

    expect(ids(page)).toEqual([idOf(4), idOf(5)]);
  });

  it('normalises the email filter (case and surrounding spaces) and matches it exactly', async () => {
    const handler = new ListUsersHandler(
      await repositoryWith([
        { n: 1, email: 'ada@example.com', name: 'Ada' },
        { n: 2, email: 'ada@example.community', name: 'Other Ada' },
        { n: 3, email: 'grace@example.com', name: 'Grace' },
      ]),
    );

    const page = await handler.execute(new ListUsersQuery(10, undefined, '  ADA@Example.COM '));

    expect(ids(page)).toEqual([idOf(1)]);
  });

  it('searches names and emails case-insensitively', async () => {
    const handler = new ListUsersHandler(
      await repositoryWith([
        { n: 1, email: 'ada@example.com', name: 'Ada Lovelace' },
        { n: 2, email: 'countess@lovelace.org', name: 'Augusta' },
        { n: 3, email: 'grace@example.com', name: 'Grace Hopper' },
      ]),
    );

    expect(ids(await handler.execute(new ListUsersQuery(10, undefined, undefined, 'LOVElace')))).toEqual([
      idOf(1),
      idOf(2),
    ]);
    expect(ids(await handler.execute(new ListUsersQuery(10, undefined, undefined, 'HOPPER')))).toEqual([idOf(3)]);
    expect(ids(await handler.execute(new ListUsersQuery(10, undefined, undefined, 'Turing')))).toEqual([]);
  });

  it('paginates within a search', async () => {
    const handler = new ListUsersHandler(
      await repositoryWith(
        Array.from({ length: 6 }, (_, i) => ({
          n: i + 1,
          email: `user${i + 1}@example.com`,
          name: i % 2 === 0 ? `Match ${i + 1}` : `Other ${i + 1}`,
        })),
      ),
    );

    const pages = await allPages(handler, 2, { q: 'match' });

    expect(pages.map(ids)).toEqual([[idOf(1), idOf(3)], [idOf(5)]]);
  });

  // A key that is not an id must never reach PostgreSQL as `afterId` (a uuid column).
  it('rejects a well-formed cursor whose key is not a user id with InvalidUserError', async () => {
    const handler = new ListUsersHandler(await numberedUsers(2));

    await expect(handler.execute(new ListUsersQuery(10, encodeCursor('zzz')))).rejects.toThrow(InvalidUserError);
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['standard base64 characters', 'ab+/cd=='],
    ['base64url not made by encodeCursor', Buffer.from('01936f5e-0000-7000-8000-000000000001').toString('base64url')],
    ['empty', ''],
  ])('rejects a cursor that is %s with InvalidUserError', async (_, cursor) => {
    const handler = new ListUsersHandler(await numberedUsers(2));

    await expect(handler.execute(new ListUsersQuery(10, cursor))).rejects.toThrow(InvalidUserError);
  });
});
