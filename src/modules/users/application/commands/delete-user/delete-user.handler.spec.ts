import { FakeUnitOfWork } from '../../../../../../test/fakes/fake-unit-of-work.js';
import { LastAdminError, UserNotFoundError, UserVersionMismatchError } from '../../../domain/user.errors.js';
import { User } from '../../../domain/user.js';
import { InMemoryUserRepository } from '../../../infrastructure/in-memory-user.repository.js';
import { DeleteUserCommand } from './delete-user.command.js';
import { DeleteUserHandler } from './delete-user.handler.js';

const REGISTERED_AT = new Date('2024-01-01T00:00:00.000Z');
const ADA_ID = '01936f5e-0000-7000-8000-00000000000a';
const GRACE_ID = '01936f5e-0000-7000-8000-00000000000b';
const UNKNOWN_ID = '01936f5e-0000-7000-8000-0000000000ff';

async function setup() {
  const users = new InMemoryUserRepository();
  await users.add(User.register({ id: ADA_ID, email: 'ada@example.com', name: 'Ada', now: REGISTERED_AT }));
  await users.add(User.register({ id: GRACE_ID, email: 'grace@example.com', name: 'Grace', now: REGISTERED_AT }));
  return { users, handler: new DeleteUserHandler(users, new FakeUnitOfWork().asUnitOfWork()) };
}

/** Makes the stored user an admin. */
async function promote(users: InMemoryUserRepository, id: string): Promise<void> {
  const user = (await users.findById(id))!;
  user.changeRole('admin', REGISTERED_AT);
  await users.save(user);
}

/** Moves the stored Ada to version 2, as another client would. */
async function changeAdaElsewhere(users: InMemoryUserRepository): Promise<void> {
  const ada = (await users.findById(ADA_ID))!;
  ada.update({ name: 'Ada (elsewhere)' }, REGISTERED_AT);
  await users.save(ada);
}

describe('DeleteUserHandler', () => {
  it('deletes the user, and only that user', async () => {
    const { handler, users } = await setup();

    await handler.execute(new DeleteUserCommand(ADA_ID));

    expect(await users.findById(ADA_ID)).toBeNull();
    expect(await users.findById(GRACE_ID)).not.toBeNull();
  });

  it('deletes when the expected version is the current one', async () => {
    const { handler, users } = await setup();
    await changeAdaElsewhere(users);

    await handler.execute(new DeleteUserCommand(ADA_ID, 2));

    expect(await users.findById(ADA_ID)).toBeNull();
  });

  it('refuses a stale expected version with UserVersionMismatchError and keeps the user', async () => {
    const { handler, users } = await setup();
    await changeAdaElsewhere(users);

    const attempt = handler.execute(new DeleteUserCommand(ADA_ID, 1));

    await expect(attempt).rejects.toThrow(UserVersionMismatchError);
    await expect(attempt).rejects.toMatchObject({ userId: ADA_ID, expectedVersion: 1, currentVersion: 2 });
    expect((await users.findById(ADA_ID))?.version).toBe(2);
  });

  it('refuses an unknown user with UserNotFoundError', async () => {
    const { handler } = await setup();

    const attempt = handler.execute(new DeleteUserCommand(UNKNOWN_ID));

    await expect(attempt).rejects.toThrow(UserNotFoundError);
    await expect(attempt).rejects.toMatchObject({ userId: UNKNOWN_ID });
  });

  it('reports a user deleted before as not found, with or without a version', async () => {
    const { handler, users } = await setup();
    await handler.execute(new DeleteUserCommand(ADA_ID, 1));

    expect(await users.findById(ADA_ID)).toBeNull();
    await expect(handler.execute(new DeleteUserCommand(ADA_ID))).rejects.toThrow(UserNotFoundError);
    await expect(handler.execute(new DeleteUserCommand(ADA_ID, 1))).rejects.toThrow(UserNotFoundError);
  });

  it('frees the email of the deleted user', async () => {
    const { handler, users } = await setup();
    await handler.execute(new DeleteUserCommand(ADA_ID));

    const newcomer = User.register({
      id: '01936f5e-0000-7000-8000-00000000000c',
      email: 'ada@example.com',
      name: 'New Ada',
      now: REGISTERED_AT,
    });
    await expect(users.add(newcomer)).resolves.toBeUndefined();
  });

  it('refuses to delete the last admin with LastAdminError, and keeps it', async () => {
    const { handler, users } = await setup();
    await promote(users, ADA_ID);

    await expect(handler.execute(new DeleteUserCommand(ADA_ID))).rejects.toThrow(LastAdminError);
    expect((await users.findById(ADA_ID))?.role).toBe('admin');
  });

  it('deletes an admin while another admin remains', async () => {
    const { handler, users } = await setup();
    await promote(users, ADA_ID);
    await promote(users, GRACE_ID);

    await handler.execute(new DeleteUserCommand(ADA_ID));

    expect(await users.findById(ADA_ID)).toBeNull();
    await expect(handler.execute(new DeleteUserCommand(GRACE_ID))).rejects.toMatchObject({ code: 'USERS.LAST_ADMIN' });
  });
});
