import { FakeUnitOfWork } from '../../../../../../test/fakes/fake-unit-of-work.js';
import { FixedClock } from '../../../../../../test/fakes/fixed-clock.js';
import { RecordingOutbox } from '../../../../../../test/fakes/recording-outbox.js';
import { EmailTakenError, InvalidUserError } from '../../../domain/user.errors.js';
import type { User } from '../../../domain/user.js';
import { InMemoryUserRepository } from '../../../infrastructure/in-memory-user.repository.js';
import { USERS_REGISTERED } from '../../../users.contracts.js';
import { RegisterUserCommand } from './register-user.command.js';
import { RegisterUserHandler } from './register-user.handler.js';

const NOW = new Date('2024-05-06T07:08:09.123Z');
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Completes `add` only after a turn of the event loop, and logs when it has. */
class SlowRepository extends InMemoryUserRepository {
  constructor(private readonly log: string[]) {
    super();
  }
  override async add(user: User): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await super.add(user);
    this.log.push('added');
  }
}

class EmailAlwaysTakenRepository extends InMemoryUserRepository {
  override async add(user: User): Promise<void> {
    throw new EmailTakenError(user.email);
  }
}

function setup(users = new InMemoryUserRepository(), log: string[] = []) {
  const unitOfWork = new FakeUnitOfWork();
  const outbox = new RecordingOutbox(unitOfWork, log);
  const handler = new RegisterUserHandler(users, outbox.asOutbox(), new FixedClock(NOW), unitOfWork.asUnitOfWork());
  return { users, outbox, handler, unitOfWork };
}

const registered = (user: User, eventId = expect.stringMatching(UUID_V7)) => ({
  name: USERS_REGISTERED,
  payload: { eventId, userId: user.id, email: user.email, name: user.name, registeredAt: NOW.toISOString() },
});

describe('RegisterUserHandler', () => {
  it('registers a normalised user with a new UUID v7, created now, at version 1', async () => {
    const { handler } = setup();

    const user = await handler.execute(new RegisterUserCommand('  Ada@Example.COM ', ' Ada Lovelace '));

    expect(user.id).toMatch(UUID_V7);
    expect(user.toState()).toEqual({
      id: user.id,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      role: 'user',
      createdAt: NOW,
      updatedAt: NOW,
      emailVerifiedAt: null,
      version: 1,
    });
  });

  it('stores the user it returns', async () => {
    const { handler, users } = setup();

    const user = await handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'));

    expect((await users.findById(user.id))?.toState()).toEqual(user.toState());
  });

  it('gives every registration its own id, and its event its own event id', async () => {
    const { handler, outbox } = setup();

    const first = await handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'));
    const second = await handler.execute(new RegisterUserCommand('grace@example.com', 'Grace'));

    expect(second.id).not.toBe(first.id);
    const [a, b] = outbox.committed.map((event) => event.payload.eventId);
    expect(b).not.toBe(a);
  });

  it('stores exactly one users.registered event, with the contract payload, and the user keeps no domain event', async () => {
    const { handler, outbox } = setup();

    const user = await handler.execute(new RegisterUserCommand('Ada@Example.com', ' Ada '));

    expect(outbox.committed).toEqual([registered(user)]);
    expect(outbox.committed[0].payload).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    expect(user.pullEvents()).toEqual([]);
  });

  it('stores the event only once the repository has added the user', async () => {
    const log: string[] = [];
    const { handler } = setup(new SlowRepository(log), log);

    await handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'));

    expect(log).toEqual(['added', 'outbox']);
  });

  it("inside a caller's unit of work, its event commits with it, and not at all if it fails", async () => {
    const { handler, outbox, unitOfWork } = setup();

    await unitOfWork.run(async () => {
      await handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'));
      expect(outbox.committed).toEqual([]);
    });
    expect(outbox.committed).toHaveLength(1);

    await expect(
      unitOfWork.run(async () => {
        await handler.execute(new RegisterUserCommand('grace@example.com', 'Grace'));
        throw new Error('the rest of the transaction failed');
      }),
    ).rejects.toThrow('the rest of the transaction failed');
    expect(outbox.committed).toHaveLength(1);
  });

  it('stores no event when the repository refuses the user', async () => {
    const { handler, outbox } = setup(new EmailAlwaysTakenRepository());

    await expect(handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'))).rejects.toThrow(EmailTakenError);
    expect(outbox.added).toEqual([]);
  });

  it('refuses an email already in use, whatever its case, and stores only the first registration event', async () => {
    const { handler, outbox, users } = setup();
    const first = await handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'));

    const attempt = handler.execute(new RegisterUserCommand(' ADA@example.com', 'Impostor'));

    await expect(attempt).rejects.toThrow(EmailTakenError);
    await expect(attempt).rejects.toMatchObject({ email: 'ada@example.com', code: 'USERS.EMAIL_TAKEN' });
    expect(outbox.added).toEqual([registered(first)]);
    expect((await users.list({ limit: 10 })).map((user) => user.name)).toEqual(['Ada']);
  });

  it('rejects invalid input before storing anything', async () => {
    const { handler, outbox, users } = setup();

    await expect(handler.execute(new RegisterUserCommand('not-an-email', 'Ada'))).rejects.toThrow(InvalidUserError);
    await expect(handler.execute(new RegisterUserCommand('ada@example.com', '   '))).rejects.toThrow(InvalidUserError);
    expect(outbox.added).toEqual([]);
    expect(await users.list({ limit: 10 })).toEqual([]);
  });
});
