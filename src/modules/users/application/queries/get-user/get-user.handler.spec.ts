import { UserNotFoundError } from '../../../domain/user.errors.js';
import { User } from '../../../domain/user.js';
import { InMemoryUserRepository } from '../../../infrastructure/in-memory-user.repository.js';
import { GetUserHandler } from './get-user.handler.js';
import { GetUserQuery } from './get-user.query.js';

const REGISTERED_AT = new Date('2024-01-01T00:00:00.000Z');
const ADA_ID = '01936f5e-0000-7000-8000-00000000000a';
const GRACE_ID = '01936f5e-0000-7000-8000-00000000000b';
const UNKNOWN_ID = '01936f5e-0000-7000-8000-0000000000ff';

async function setup() {
  const users = new InMemoryUserRepository();
  await users.add(User.register({ id: ADA_ID, email: 'ada@example.com', name: 'Ada', now: REGISTERED_AT }));
  await users.add(User.register({ id: GRACE_ID, email: 'grace@example.com', name: 'Grace', now: REGISTERED_AT }));
  return { users, handler: new GetUserHandler(users) };
}

describe('GetUserHandler', () => {
  it('returns the stored user with that id', async () => {
    const { handler } = await setup();

    const user = await handler.execute(new GetUserQuery(GRACE_ID));

    expect(user.toState()).toEqual({
      id: GRACE_ID,
      email: 'grace@example.com',
      name: 'Grace',
      role: 'user',
      createdAt: REGISTERED_AT,
      updatedAt: REGISTERED_AT,
      emailVerifiedAt: null,
      version: 1,
    });
  });

  it('returns the latest stored version', async () => {
    const { handler, users } = await setup();
    const ada = (await users.findById(ADA_ID))!;
    ada.update({ name: 'Ada Lovelace' }, REGISTERED_AT);
    await users.save(ada);

    const user = await handler.execute(new GetUserQuery(ADA_ID));

    expect(user.name).toBe('Ada Lovelace');
    expect(user.version).toBe(2);
  });

  it('refuses an unknown id with UserNotFoundError naming it', async () => {
    const { handler } = await setup();

    const attempt = handler.execute(new GetUserQuery(UNKNOWN_ID));

    await expect(attempt).rejects.toThrow(UserNotFoundError);
    await expect(attempt).rejects.toMatchObject({ userId: UNKNOWN_ID, kind: 'not_found', code: 'USERS.NOT_FOUND' });
  });
});
