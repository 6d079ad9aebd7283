import { FakeUnitOfWork } from '../../../../../../test/fakes/fake-unit-of-work.js';
import { FixedClock } from '../../../../../../test/fakes/fixed-clock.js';
import { RecordingOutbox } from '../../../../../../test/fakes/recording-outbox.js';
import {
  EmailTakenError,
  InvalidUserError,
  UserNotFoundError,
  UserVersionMismatchError,
} from '../../../domain/user.errors.js';
import { User } from '../../../domain/user.js';
import { InMemoryUserRepository } from '../../../infrastructure/in-memory-user.repository.js';
import { USERS_EMAIL_CHANGED } from '../../../users.contracts.js';
import { UpdateUserCommand } from './update-user.command.js';
import { UpdateUserHandler } from './update-user.handler.js';

const REGISTERED_AT = new Date('2024-01-01T00:00:00.000Z');
const NOW = new Date('2024-02-03T04:05:06.789Z');
const ADA_ID = '01936f5e-0000-7000-8000-00000000000a';
const GRACE_ID = '01936f5e-0000-7000-8000-00000000000b';
const UNKNOWN_ID = '01936f5e-0000-7000-8000-0000000000ff';

/** Counts writes, so a test can tell that a no-op update did not write. */
class CountingRepository extends InMemoryUserRepository {
  saves = 0;
  override async save(user: User): Promise<void> {
    this.saves++;
    await super.save(user);
  }
}

async function setup() {
  const unitOfWork = new FakeUnitOfWork();
  const outbox = new RecordingOutbox(unitOfWork);
  const users = new CountingRepository();
  await users.add(User.register({ id: ADA_ID, email: 'ada@example.com', name: 'Ada', now: REGISTERED_AT }));
  await users.add(User.register({ id: GRACE_ID, email: 'grace@example.com', name: 'Grace', now: REGISTERED_AT }));
  const handler = new UpdateUserHandler(users, new FixedClock(NOW), outbox.asOutbox(), unitOfWork.asUnitOfWork());
  return { users, handler, outbox };
}

/** Moves the stored Ada to version 2, as another client would. */
async function changeAdaElsewhere(users: InMemoryUserRepository): Promise<void> {
  const ada = (await users.findById(ADA_ID))!;
  ada.update({ name: 'Ada (elsewhere)' }, REGISTERED_AT);
  await users.save(ada);
}

describe('UpdateUserHandler', () => {
  it('announces a new email with the change (users.email-changed), unverified; a name change announces nothing', async () => {
    const { handler, users, outbox } = await setup();

    await handler.execute(new UpdateUserCommand(ADA_ID, { name: 'Ada Lovelace' }));
    expect(outbox.added).toEqual([]);

    const ada = await handler.execute(new UpdateUserCommand(ADA_ID, { email: 'Countess@Example.com' }));
    expect(outbox.committed).toEqual([
      {
        name: USERS_EMAIL_CHANGED,
        payload: {
          eventId: expect.any(String),
          userId: ADA_ID,
          email: 'countess@example.com',
          changedAt: NOW.toISOString(),
        },
      },
    ]);
    expect((await users.findById(ADA_ID))?.emailVerifiedAt).toBeNull();
    expect(ada.emailVerifiedAt).toBeNull();
  });

  it('changes name and email, bumps the version, moves updatedAt and stores the result', async () => {
    const { handler, users } = await setup();

    const user = await handler.execute(
      new UpdateUserCommand(ADA_ID, { name: ' Countess of Lovelace ', email: ' Lovelace@Example.org ' }),
    );

    const expected = {
      id: ADA_ID,
      email: 'lovelace@example.org',
      name: 'Countess of Lovelace',
      role: 'user',
      createdAt: REGISTERED_AT,
      updatedAt: NOW,
      emailVerifiedAt: null,
      version: 2,
    };
    expect(user.toState()).toEqual(expected);
    expect((await users.findById(ADA_ID))?.toState()).toEqual(expected);
  });

  it('changes only the fields given', async () => {
    const { handler } = await setup();

    const user = await handler.execute(new UpdateUserCommand(ADA_ID, { name: 'Ada L.' }));

    expect(user.email).toBe('ada@example.com');
    expect(user.name).toBe('Ada L.');
  });

  it('applies the change when the expected version is the current one', async () => {
    const { handler, users } = await setup();
    await changeAdaElsewhere(users);

    const user = await handler.execute(new UpdateUserCommand(ADA_ID, { name: 'Ada again' }, 2));

    expect(user.version).toBe(3);
    expect((await users.findById(ADA_ID))?.name).toBe('Ada again');
  });

  it('refuses a stale expected version with UserVersionMismatchError and changes or announces nothing', async () => {
    const { handler, users, outbox } = await setup();
    await changeAdaElsewhere(users);

    const attempt = handler.execute(new UpdateUserCommand(ADA_ID, { name: 'Lost update' }, 1));

    await expect(attempt).rejects.toThrow(UserVersionMismatchError);
    await expect(attempt).rejects.toMatchObject({ userId: ADA_ID, expectedVersion: 1, currentVersion: 2 });
    expect((await users.findById(ADA_ID))?.toState()).toMatchObject({ name: 'Ada (elsewhere)', version: 2 });
    expect(outbox.added).toEqual([]);
  });

  it('refuses an email another user has (in any case) with EmailTakenError and changes nothing', async () => {
    const { handler, users } = await setup();

    await expect(
      handler.execute(new UpdateUserCommand(ADA_ID, { email: 'GRACE@example.com', name: 'Renamed' })),
    ).rejects.toThrow(EmailTakenError);
    expect((await users.findById(ADA_ID))?.toState()).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      version: 1,
    });
  });

  it('refuses an unknown user with UserNotFoundError', async () => {
    const { handler } = await setup();

    const attempt = handler.execute(new UpdateUserCommand(UNKNOWN_ID, { name: 'Nobody' }));

    await expect(attempt).rejects.toThrow(UserNotFoundError);
    await expect(attempt).rejects.toMatchObject({ userId: UNKNOWN_ID });
  });

  it('reports an unknown user as not found even with an expected version', async () => {
    const { handler } = await setup();

    await expect(handler.execute(new UpdateUserCommand(UNKNOWN_ID, { name: 'Nobody' }, 1))).rejects.toThrow(
      UserNotFoundError,
    );
  });

  it('does not write, bump the version or move updatedAt when nothing changes', async () => {
    const { handler, users } = await setup();

    const user = await handler.execute(new UpdateUserCommand(ADA_ID, { name: ' Ada ', email: 'ADA@example.com' }, 1));

    expect(user.version).toBe(1);
    expect(user.updatedAt).toEqual(REGISTERED_AT);
    expect(users.saves).toBe(0);
    expect((await users.findById(ADA_ID))?.toState()).toMatchObject({ version: 1, updatedAt: REGISTERED_AT });
  });

  it('rejects invalid changes with InvalidUserError and stores nothing', async () => {
    const { handler, users } = await setup();

    await expect(handler.execute(new UpdateUserCommand(ADA_ID, { email: 'nope' }))).rejects.toThrow(InvalidUserError);
    expect(users.saves).toBe(0);
    expect((await users.findById(ADA_ID))?.email).toBe('ada@example.com');
  });
});
