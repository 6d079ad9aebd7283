import {
  EmailTakenError,
  UserNotFoundError,
  UserVersionMismatchError,
} from '../../src/modules/users/domain/user.errors.js';
import type { UserRepository } from '../../src/modules/users/domain/user.repository.js';
import { User } from '../../src/modules/users/domain/user.js';

export interface UserRepositoryUnderTest {
  /** A repository holding no users. */
  repository: UserRepository;
  /** Releases what `setup` took; called after every test. */
  close(): Promise<void>;
}

const REGISTERED_AT = new Date('2024-03-01T10:20:30.456Z');
const LATER = new Date('2024-03-02T11:22:33.789Z');

/**
 * Ids that sort in the order of `n` (as strings and as PostgreSQL uuids), so tests can add
 * users in any order and know the order `list` must return.
 */
const idOf = (n: number) => `01936f5e-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

const newUser = (n: number, email = `user${n}@example.com`, name = `User ${n}`, now = REGISTERED_AT) =>
  User.register({ id: idOf(n), email, name, now });

/**
 * The behaviour of the `UserRepository` port (src/modules/users/domain/user.repository.ts)
 * that every adapter must have. `setup` runs before each test and must give an empty store.
 */
export function describeUserRepositoryContract(
  adapterName: string,
  setup: () => Promise<UserRepositoryUnderTest>,
): void {
  describe(`UserRepository contract: ${adapterName}`, () => {
    let subject: UserRepositoryUnderTest | undefined;
    let users: UserRepository;

    beforeEach(async () => {
      subject = await setup();
      users = subject.repository;
    });
    afterEach(async () => {
      await subject?.close();
      subject = undefined;
    });

    /** Loads a user that must exist. */
    const load = async (id: string): Promise<User> => {
      const user = await users.findById(id);
      if (!user) throw new Error(`user ${id} is not stored`);
      return user;
    };

    const addAll = async (...list: User[]) => {
      for (const user of list) await users.add(user);
    };

    const listIds = async (criteria: Parameters<UserRepository['list']>[0]) =>
      (await users.list(criteria)).map((user) => user.id);

    describe('add and findById', () => {
      it('round-trips every field, dates and version included', async () => {
        const user = newUser(1, ' Ada.Lovelace@Example.COM ', ' Ada Lovelace ');
        await users.add(user);

        const found = await users.findById(user.id);

        expect(found).toBeInstanceOf(User);
        expect(found?.toState()).toEqual({
          id: idOf(1),
          email: 'ada.lovelace@example.com',
          name: 'Ada Lovelace',
          role: 'user',
          createdAt: REGISTERED_AT,
          updatedAt: REGISTERED_AT,
          emailVerifiedAt: null,
          version: 1,
        });
        expect(found?.createdAt).toBeInstanceOf(Date);
        expect(found?.updatedAt.getTime()).toBe(REGISTERED_AT.getTime());
      });

      it('round-trips a user restored with another role, version and distinct dates', async () => {
        const state = {
          id: idOf(2),
          email: 'grace@example.com',
          name: 'Grace Hopper',
          role: 'admin' as const,
          createdAt: REGISTERED_AT,
          updatedAt: LATER,
          emailVerifiedAt: LATER,
          version: 5,
        };
        await users.add(User.restore(state));

        expect((await load(idOf(2))).toState()).toEqual(state);
      });

      it('returns a user with no pending events', async () => {
        await users.add(newUser(1));

        expect((await load(idOf(1))).pullEvents()).toEqual([]);
      });

      it('returns null for an unknown id', async () => {
        await users.add(newUser(1));

        expect(await users.findById(idOf(99))).toBeNull();
      });

      it('keeps what was stored when the added or loaded object changes without a save', async () => {
        const user = newUser(1);
        await users.add(user);
        user.update({ name: 'Changed after add' }, LATER);
        (await load(idOf(1))).update({ name: 'Changed after load' }, LATER);

        expect((await load(idOf(1))).toState()).toMatchObject({ name: 'User 1', version: 1 });
      });

      it('refuses a second user with the same email with EmailTakenError and keeps the first', async () => {
        await users.add(newUser(1, 'ada@example.com', 'Ada'));

        const attempt = users.add(newUser(2, 'ada@example.com', 'Impostor'));

        await expect(attempt).rejects.toThrow(EmailTakenError);
        await expect(attempt).rejects.toMatchObject({ email: 'ada@example.com' });
        expect(await users.findById(idOf(2))).toBeNull();
        expect((await load(idOf(1))).name).toBe('Ada');
      });

      it('refuses the same email typed in another case (the aggregate normalised it)', async () => {
        await users.add(newUser(1, 'ada@example.com'));

        await expect(users.add(newUser(2, '  ADA@Example.com'))).rejects.toThrow(EmailTakenError);
        expect(await listIds({ limit: 10 })).toEqual([idOf(1)]);
      });

      it('accepts emails that only share a prefix or suffix', async () => {
        await addAll(newUser(1, 'ada@example.com'), newUser(2, 'ada@example.co'), newUser(3, 'xada@example.com'));

        expect(await listIds({ limit: 10 })).toEqual([idOf(1), idOf(2), idOf(3)]);
      });
    });

    describe('save', () => {
      it('stores the changes of a loaded user at the next version', async () => {
        await users.add(newUser(1, 'ada@example.com', 'Ada'));
        const user = await load(idOf(1));
        user.update({ email: 'lovelace@example.org', name: 'Countess' }, LATER);

        await users.save(user);

        expect((await load(idOf(1))).toState()).toEqual({
          id: idOf(1),
          email: 'lovelace@example.org',
          name: 'Countess',
          role: 'user',
          createdAt: REGISTERED_AT,
          updatedAt: LATER,
          emailVerifiedAt: null,
          version: 2,
        });
      });

      it('keeps the user on its own email when only the name changes', async () => {
        await users.add(newUser(1, 'ada@example.com', 'Ada'));
        const user = await load(idOf(1));
        user.update({ name: 'Ada L.' }, LATER);

        await expect(users.save(user)).resolves.toBeUndefined();
        expect((await load(idOf(1))).toState()).toMatchObject({ email: 'ada@example.com', name: 'Ada L.' });
      });

      it('accepts successive saves of the same object, one version at a time', async () => {
        await users.add(newUser(1));
        const user = await load(idOf(1));
        for (const name of ['Second', 'Third', 'Fourth']) {
          user.update({ name }, LATER);
          await users.save(user);
        }

        expect((await load(idOf(1))).toState()).toMatchObject({ name: 'Fourth', version: 4 });
      });

      it('refuses a save based on a version someone else saved first, and keeps their change', async () => {
        await users.add(newUser(1, 'ada@example.com', 'Ada'));
        const mine = await load(idOf(1));
        const theirs = await load(idOf(1));
        theirs.update({ name: 'Theirs' }, LATER);
        await users.save(theirs);
        mine.update({ name: 'Mine' }, LATER);

        const attempt = users.save(mine);

        await expect(attempt).rejects.toThrow(UserVersionMismatchError);
        await expect(attempt).rejects.toMatchObject({ userId: idOf(1), expectedVersion: 1 });
        expect((await load(idOf(1))).toState()).toMatchObject({ name: 'Theirs', version: 2 });
      });

      it('refuses a save that skips a version', async () => {
        await users.add(newUser(1));
        const user = await load(idOf(1));
        user.update({ name: 'Two' }, LATER);
        user.update({ name: 'Three' }, LATER);

        await expect(users.save(user)).rejects.toThrow(UserVersionMismatchError);
        expect((await load(idOf(1))).toState()).toMatchObject({ name: 'User 1', version: 1 });
      });

      it('refuses to save a user that was deleted with UserNotFoundError, and does not bring it back', async () => {
        await users.add(newUser(1));
        const user = await load(idOf(1));
        await users.remove(await load(idOf(1)));
        user.update({ name: 'Ghost' }, LATER);

        const attempt = users.save(user);

        await expect(attempt).rejects.toThrow(UserNotFoundError);
        await expect(attempt).rejects.toMatchObject({ userId: idOf(1) });
        expect(await users.findById(idOf(1))).toBeNull();
      });

      it('refuses to save a user that was never added with UserNotFoundError', async () => {
        const user = newUser(7);
        user.update({ name: 'Never stored' }, LATER);

        await expect(users.save(user)).rejects.toThrow(UserNotFoundError);
        expect(await users.findById(idOf(7))).toBeNull();
      });

      it('refuses a new email another user has with EmailTakenError and leaves the stored user unchanged', async () => {
        await addAll(newUser(1, 'ada@example.com', 'Ada'), newUser(2, 'grace@example.com', 'Grace'));
        const before = (await load(idOf(1))).toState();
        const user = await load(idOf(1));
        user.update({ email: 'GRACE@example.com', name: 'Renamed too' }, LATER);

        const attempt = users.save(user);

        await expect(attempt).rejects.toThrow(EmailTakenError);
        await expect(attempt).rejects.toMatchObject({ email: 'grace@example.com' });
        expect((await load(idOf(1))).toState()).toEqual(before);
        expect((await load(idOf(2))).toState()).toMatchObject({ email: 'grace@example.com', name: 'Grace' });
      });

      it('lets a user take an email another user gave up', async () => {
        await addAll(newUser(1, 'ada@example.com'), newUser(2, 'grace@example.com'));
        const grace = await load(idOf(2));
        grace.update({ email: 'hopper@example.com' }, LATER);
        await users.save(grace);
        const ada = await load(idOf(1));
        ada.update({ email: 'grace@example.com' }, LATER);

        await users.save(ada);

        expect((await load(idOf(1))).email).toBe('grace@example.com');
      });
    });

    describe('remove', () => {
      it('deletes the user at its current version, and only that user', async () => {
        await addAll(newUser(1), newUser(2));

        await users.remove(await load(idOf(1)));

        expect(await users.findById(idOf(1))).toBeNull();
        expect(await users.findById(idOf(2))).not.toBeNull();
      });

      it('deletes a user loaded after changes, at the version it has', async () => {
        await users.add(newUser(1));
        const user = await load(idOf(1));
        user.update({ name: 'Changed' }, LATER);
        await users.save(user);

        await users.remove(await load(idOf(1)));

        expect(await users.findById(idOf(1))).toBeNull();
      });

      it('refuses a stale version with UserVersionMismatchError and keeps the user', async () => {
        await users.add(newUser(1));
        const stale = await load(idOf(1));
        const fresh = await load(idOf(1));
        fresh.update({ name: 'Changed' }, LATER);
        await users.save(fresh);

        const attempt = users.remove(stale);

        await expect(attempt).rejects.toThrow(UserVersionMismatchError);
        await expect(attempt).rejects.toMatchObject({ userId: idOf(1), expectedVersion: 1 });
        expect((await load(idOf(1))).toState()).toMatchObject({ name: 'Changed', version: 2 });
      });

      it('refuses an unknown user with UserNotFoundError', async () => {
        await users.add(newUser(1));

        const attempt = users.remove(newUser(9));

        await expect(attempt).rejects.toThrow(UserNotFoundError);
        await expect(attempt).rejects.toMatchObject({ userId: idOf(9) });
      });

      it('refuses to remove a user twice with UserNotFoundError', async () => {
        await users.add(newUser(1));
        const user = await load(idOf(1));
        await users.remove(user);

        await expect(users.remove(user)).rejects.toThrow(UserNotFoundError);
      });

      it('frees the email for a new user', async () => {
        await users.add(newUser(1, 'ada@example.com'));
        await users.remove(await load(idOf(1)));

        await users.add(newUser(2, 'ada@example.com', 'New Ada'));

        expect((await load(idOf(2))).email).toBe('ada@example.com');
      });
    });

    describe('lockAdmins', () => {
      it('answers the ids of the admins only, none in a store without one', async () => {
        await addAll(newUser(1), newUser(2), newUser(3));
        expect(await users.lockAdmins()).toEqual([]);
        for (const n of [3, 1]) {
          const user = await load(idOf(n));
          user.changeRole('admin', LATER);
          await users.save(user);
        }

        expect([...(await users.lockAdmins())].sort()).toEqual([idOf(1), idOf(3)]);
      });
    });

    describe('count', () => {
      it('counts 0 in an empty store, every added user, and one fewer after a remove', async () => {
        expect(await users.count()).toBe(0);
        await addAll(newUser(3), newUser(1), newUser(2));

        expect(await users.count()).toBe(3);

        await users.remove(await load(idOf(2)));
        expect(await users.count()).toBe(2);
      });

      it('does not count a refused add or a save', async () => {
        await users.add(newUser(1, 'ada@example.com'));
        await expect(users.add(newUser(2, 'ada@example.com'))).rejects.toThrow(EmailTakenError);
        const user = await load(idOf(1));
        user.update({ name: 'Renamed' }, LATER);
        await users.save(user);

        expect(await users.count()).toBe(1);
      });
    });

    describe('list', () => {
      it('returns users in id order, whatever order they were added in', async () => {
        await addAll(newUser(3), newUser(1), newUser(5), newUser(2), newUser(4));

        expect(await listIds({ limit: 10 })).toEqual([1, 2, 3, 4, 5].map(idOf));
      });

      it('returns complete users', async () => {
        await addAll(newUser(2, 'b@example.com', 'B'), newUser(1, 'a@example.com', 'A'));

        const listed = await users.list({ limit: 10 });

        expect(listed.every((user) => user instanceof User)).toBe(true);
        expect(listed.map((user) => user.toState())).toEqual([
          newUser(1, 'a@example.com', 'A').toState(),
          newUser(2, 'b@example.com', 'B').toState(),
        ]);
      });

      it('returns an empty list when there are no users', async () => {
        expect(await users.list({ limit: 10 })).toEqual([]);
      });

      it('returns at most `limit` users, the first ones', async () => {
        await addAll(newUser(4), newUser(2), newUser(3), newUser(1));

        expect(await listIds({ limit: 2 })).toEqual([idOf(1), idOf(2)]);
        expect(await listIds({ limit: 1 })).toEqual([idOf(1)]);
      });

      it('returns only users after `afterId`, which need not exist any more', async () => {
        await addAll(newUser(1), newUser(2), newUser(4), newUser(5));

        expect(await listIds({ limit: 10, afterId: idOf(2) })).toEqual([idOf(4), idOf(5)]);
        expect(await listIds({ limit: 10, afterId: idOf(3) })).toEqual([idOf(4), idOf(5)]);
        expect(await listIds({ limit: 1, afterId: idOf(1) })).toEqual([idOf(2)]);
        expect(await listIds({ limit: 10, afterId: idOf(5) })).toEqual([]);
      });

      it('pages through everything with afterId and limit, without duplicates or gaps', async () => {
        await addAll(...[7, 3, 1, 6, 2, 5, 4].map((n) => newUser(n)));
        const seen: string[] = [];
        let afterId: string | undefined;
        for (;;) {
          const page = await listIds({ limit: 3, afterId });
          if (page.length === 0) break;
          seen.push(...page);
          afterId = page[page.length - 1];
        }

        expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7].map(idOf));
      });

      it('filters on the exact email', async () => {
        await addAll(
          newUser(1, 'ada@example.com'),
          newUser(2, 'ada@example.community'),
          newUser(3, 'lada@example.com'),
          newUser(4, 'grace@example.com'),
        );

        expect(await listIds({ limit: 10, email: 'ada@example.com' })).toEqual([idOf(1)]);
        expect(await listIds({ limit: 10, email: 'ada@example' })).toEqual([]);
        expect(await listIds({ limit: 10, email: 'nobody@example.com' })).toEqual([]);
      });

      it('searches names and emails, case-insensitively', async () => {
        await addAll(
          newUser(1, 'ada@example.com', 'Ada Lovelace'),
          newUser(2, 'countess@LOVELACE.org', 'Augusta'),
          newUser(3, 'grace@example.com', 'Grace Hopper'),
          newUser(4, 'alan@example.com', 'Alan Turing'),
        );

        expect(await listIds({ limit: 10, search: 'LOVElace' })).toEqual([idOf(1), idOf(2)]);
        expect(await listIds({ limit: 10, search: 'hopper' })).toEqual([idOf(3)]);
        expect(await listIds({ limit: 10, search: 'ALAN@EXAMPLE' })).toEqual([idOf(4)]);
        expect(await listIds({ limit: 10, search: 'a' })).toEqual([1, 2, 3, 4].map(idOf));
        expect(await listIds({ limit: 10, search: 'babbage' })).toEqual([]);
      });

      it('searches non-ASCII names case-insensitively too', async () => {
        await addAll(newUser(1, 'emile@example.com', 'ÉMILE Zoë'), newUser(2, 'other@example.com', 'Emile Zoe'));

        expect(await listIds({ limit: 10, search: 'émile' })).toEqual([idOf(1)]);
        expect(await listIds({ limit: 10, search: 'ZOË' })).toEqual([idOf(1)]);
      });

      it('treats % and _ in a search as plain characters, not wildcards', async () => {
        await addAll(
          newUser(1, 'one@example.com', '100% sure'),
          newUser(2, 'two@example.com', 'snake_case'),
          newUser(3, 'three@example.com', 'snakeXcase'),
          newUser(4, 'four@example.com', '100 sure'),
          newUser(5, 'five@example.com', 'Plain'),
        );

        expect(await listIds({ limit: 10, search: '%' })).toEqual([idOf(1)]);
        expect(await listIds({ limit: 10, search: '_' })).toEqual([idOf(2)]);
        expect(await listIds({ limit: 10, search: 'snake_case' })).toEqual([idOf(2)]);
        expect(await listIds({ limit: 10, search: '100%' })).toEqual([idOf(1)]);
        expect(await listIds({ limit: 10, search: '0%s' })).toEqual([]);
      });

      it('treats a backslash in a search as a plain character', async () => {
        await addAll(newUser(1, 'one@example.com', 'back\\slash'), newUser(2, 'two@example.com', 'backslash'));

        expect(await listIds({ limit: 10, search: '\\' })).toEqual([idOf(1)]);
        expect(await listIds({ limit: 10, search: 'k\\s' })).toEqual([idOf(1)]);
      });

      it('combines every criterion', async () => {
        await addAll(
          newUser(1, 'match1@example.com', 'Match'),
          newUser(2, 'other@example.com', 'Other'),
          newUser(3, 'match3@example.com', 'Match'),
          newUser(4, 'match4@example.com', 'Match'),
          newUser(5, 'match5@example.com', 'Match'),
        );

        expect(await listIds({ limit: 2, afterId: idOf(1), search: 'MATCH' })).toEqual([idOf(3), idOf(4)]);
        expect(await listIds({ limit: 10, search: 'match', email: 'match4@example.com' })).toEqual([idOf(4)]);
        expect(await listIds({ limit: 10, afterId: idOf(4), email: 'match4@example.com' })).toEqual([]);
      });

      it('reflects saves and removals', async () => {
        await addAll(newUser(1, 'ada@example.com', 'Original'), newUser(2), newUser(3));
        const ada = await load(idOf(1));
        ada.update({ name: 'Renamed' }, LATER);
        await users.save(ada);
        await users.remove(await load(idOf(2)));

        expect(await listIds({ limit: 10 })).toEqual([idOf(1), idOf(3)]);
        expect(await listIds({ limit: 10, search: 'renamed' })).toEqual([idOf(1)]);
        expect(await listIds({ limit: 10, search: 'original' })).toEqual([]);
      });
    });
  });
}
