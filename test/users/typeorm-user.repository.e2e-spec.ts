import { DataSource } from 'typeorm';
import { migrations } from '../../src/infrastructure/database/migrations.js';
import { UnitOfWork } from '../../src/infrastructure/database/unit-of-work.js';
import { SnakeNamingStrategy } from '../../src/infrastructure/database/snake-naming.strategy.js';
import { defaultProfileFor } from '../../src/modules/users/domain/user-profile.js';
import { encodeCursor } from '../../src/shared/cursor.js';
import { ListUsersHandler } from '../../src/modules/users/application/queries/list-users/list-users.handler.js';
import { ListUsersQuery } from '../../src/modules/users/application/queries/list-users/list-users.query.js';
import { EmailTakenError, InvalidUserError } from '../../src/modules/users/domain/user.errors.js';
import { User } from '../../src/modules/users/domain/user.js';
import { TypeOrmUserProfileRepository } from '../../src/modules/users/infrastructure/typeorm-user-profile.repository.js';
import { TypeOrmUserRepository } from '../../src/modules/users/infrastructure/typeorm-user.repository.js';
import { UserProfileOrmEntity } from '../../src/modules/users/infrastructure/user-profile.orm-entity.js';
import { UserOrmEntity } from '../../src/modules/users/infrastructure/user.orm-entity.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { describeUserRepositoryContract } from './user-repository.contract.js';

const REGISTERED_AT = new Date('2024-03-01T10:20:30.456Z');
const LATER = new Date('2024-03-05T00:00:00.000Z');
const idOf = (n: number) => `01936f5e-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

describe('TypeORM users adapters on PostgreSQL (e2e)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'postgres',
      url: await createTestDatabase('users_repo'),
      entities: [UserOrmEntity, UserProfileOrmEntity],
      migrations,
      migrationsRun: true,
      namingStrategy: new SnakeNamingStrategy(),
      extra: { max: 12 },
    });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  /** An empty store for each test: one database per file, emptied rather than recreated. */
  const emptyStore = () => dataSource.query('TRUNCATE users, user_profiles CASCADE');
  const userRepository = () => new TypeOrmUserRepository(new UnitOfWork(dataSource));
  const profileRepository = () => new TypeOrmUserProfileRepository(dataSource.getRepository(UserProfileOrmEntity));
  const countRows = async (sql: string, params: unknown[] = []) =>
    Number((await dataSource.query<{ count: string }[]>(sql, params))[0].count);
  const addUser = async (n: number) => {
    const user = User.register({ id: idOf(n), email: `user${n}@example.com`, name: `User ${n}`, now: REGISTERED_AT });
    await userRepository().add(user);
    return user;
  };
  const profileRows = (userId: string) => countRows('SELECT count(*) FROM user_profiles WHERE user_id = $1', [userId]);

  describeUserRepositoryContract('TypeORM on PostgreSQL', async () => {
    await emptyStore();
    return { repository: userRepository(), close: async () => undefined };
  });

  describe('TypeOrmUserRepository under concurrency', () => {
    beforeEach(emptyStore);

    it('lets exactly one of 10 concurrent adds with the same email through; the others get EmailTakenError', async () => {
      const users = userRepository();
      const candidates = Array.from({ length: 10 }, (_, i) =>
        User.register({ id: idOf(i + 1), email: 'race@example.com', name: `Racer ${i + 1}`, now: REGISTERED_AT }),
      );

      const results = await Promise.allSettled(candidates.map((user) => users.add(user)));

      const fulfilled = results.filter((result) => result.status === 'fulfilled');
      const rejections = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
      expect(fulfilled).toHaveLength(1);
      expect(rejections).toHaveLength(9);
      for (const reason of rejections) expect(reason).toBeInstanceOf(EmailTakenError);
      expect(await countRows(`SELECT count(*) FROM users WHERE email = 'race@example.com'`)).toBe(1);
    });

    it('lets exactly one of 5 concurrent saves of the same version through', async () => {
      const users = userRepository();
      await users.add(User.register({ id: idOf(1), email: 'ada@example.com', name: 'Ada', now: REGISTERED_AT }));
      const copies = await Promise.all(Array.from({ length: 5 }, () => users.findById(idOf(1))));
      copies.forEach((copy, i) => copy!.update({ name: `Writer ${i}` }, LATER));

      const results = await Promise.allSettled(copies.map((copy) => users.save(copy!)));

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect((await users.findById(idOf(1)))?.version).toBe(2);
    });
  });

  describe('ListUsersHandler on PostgreSQL', () => {
    beforeEach(emptyStore);

    // Defence in depth behind the HTTP validation: never a QueryFailedError (a 500).
    it('answers a forged cursor whose key is not a UUID with InvalidUserError, not a database error', async () => {
      const handler = new ListUsersHandler(userRepository());

      await expect(handler.execute(new ListUsersQuery(10, encodeCursor('zzz')))).rejects.toThrow(InvalidUserError);
    });
  });

  describe('TypeOrmUserProfileRepository', () => {
    beforeEach(emptyStore);

    it('creates a profile that findByUserId reads back', async () => {
      await addUser(1);
      const profiles = profileRepository();

      await profiles.createIfMissing(defaultProfileFor(idOf(1), REGISTERED_AT));

      expect(await profiles.findByUserId(idOf(1))).toEqual({
        userId: idOf(1),
        locale: 'en',
        timeZone: 'UTC',
        createdAt: REGISTERED_AT,
      });
    });

    it('returns null for a user without a profile', async () => {
      await addUser(1);

      expect(await profileRepository().findByUserId(idOf(1))).toBeNull();
    });

    it('keeps one row, the first one, when called twice', async () => {
      await addUser(1);
      const profiles = profileRepository();

      await profiles.createIfMissing(defaultProfileFor(idOf(1), REGISTERED_AT));
      await profiles.createIfMissing({ userId: idOf(1), locale: 'fr', timeZone: 'Europe/Paris', createdAt: LATER });

      expect(await profileRows(idOf(1))).toBe(1);
      expect(await profiles.findByUserId(idOf(1))).toMatchObject({ locale: 'en', timeZone: 'UTC' });
    });

    it('keeps one row when called concurrently', async () => {
      await addUser(1);
      const profiles = profileRepository();

      await Promise.all(
        Array.from({ length: 5 }, () => profiles.createIfMissing(defaultProfileFor(idOf(1), REGISTERED_AT))),
      );

      expect(await profileRows(idOf(1))).toBe(1);
    });

    it('creates nothing, and fails with no foreign key error, for a user that does not exist', async () => {
      const profiles = profileRepository();

      await expect(profiles.createIfMissing(defaultProfileFor(idOf(404), REGISTERED_AT))).resolves.toBeUndefined();

      expect(await profiles.findByUserId(idOf(404))).toBeNull();
      expect(await countRows('SELECT count(*) FROM user_profiles')).toBe(0);
    });

    it('loses the profile when the user is removed (ON DELETE CASCADE), and only that one', async () => {
      const ada = await addUser(1);
      await addUser(2);
      const profiles = profileRepository();
      await profiles.createIfMissing(defaultProfileFor(idOf(1), REGISTERED_AT));
      await profiles.createIfMissing(defaultProfileFor(idOf(2), REGISTERED_AT));

      await userRepository().remove(ada);

      expect(await profiles.findByUserId(idOf(1))).toBeNull();
      expect(await profileRows(idOf(1))).toBe(0);
      expect(await profiles.findByUserId(idOf(2))).not.toBeNull();
    });
  });
});
