import type { EventBus } from '@nestjs/cqrs';
import { FakeUnitOfWork } from '../../../../../../test/fakes/fake-unit-of-work.js';
import { FixedClock } from '../../../../../../test/fakes/fixed-clock.js';
import { UserRegisteredEvent } from '../../../domain/events/user-registered.event.js';
import { EmailTakenError, InvalidUserError } from '../../../domain/user.errors.js';
import type { User } from '../../../domain/user.js';
import { InMemoryUserRepository } from '../../../infrastructure/in-memory-user.repository.js';
import { RegisterUserCommand } from './register-user.command.js';
import { RegisterUserHandler } from './register-user.handler.js';

const NOW = new Date('2024-05-06T07:08:09.123Z');
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Records what was published, and writes each publication to a shared log. */
class RecordingEventBus {
  readonly published: unknown[] = [];
  constructor(private readonly log: string[] = []) {}
  publish(event: unknown): void {
    this.log.push('publish');
    this.published.push(event);
  }
  publishAll(events: unknown[]): void {
    this.log.push('publish');
    this.published.push(...events);
  }
}

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
  const bus = new RecordingEventBus(log);
  const unitOfWork = new FakeUnitOfWork();
  const handler = new RegisterUserHandler(
    users,
    bus as unknown as EventBus,
    new FixedClock(NOW),
    unitOfWork.asUnitOfWork(),
  );
  return { users, bus, handler, unitOfWork };
}

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

  it('gives every registration its own id', async () => {
    const { handler } = setup();

    const first = await handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'));
    const second = await handler.execute(new RegisterUserCommand('grace@example.com', 'Grace'));

    expect(second.id).not.toBe(first.id);
  });

  it('publishes exactly one UserRegisteredEvent, and hands the events over (the user keeps none)', async () => {
    const { handler, bus } = setup();

    const user = await handler.execute(new RegisterUserCommand('Ada@Example.com', ' Ada '));

    expect(bus.published).toHaveLength(1);
    expect(bus.published[0]).toBeInstanceOf(UserRegisteredEvent);
    expect(bus.published[0]).toEqual(new UserRegisteredEvent(user.id, 'ada@example.com', 'Ada', NOW));
    expect(user.pullEvents()).toEqual([]);
  });

  it('publishes only once the repository has finished adding the user', async () => {
    const log: string[] = [];
    const { handler } = setup(new SlowRepository(log), log);

    await handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'));

    expect(log).toEqual(['added', 'publish']);
  });

  it("inside a caller's unit of work, publishes only once it commits, and nothing if it fails", async () => {
    const { handler, bus, unitOfWork } = setup();

    await unitOfWork.run(async () => {
      await handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'));
      expect(bus.published).toEqual([]);
    });
    expect(bus.published).toHaveLength(1);

    await expect(
      unitOfWork.run(async () => {
        await handler.execute(new RegisterUserCommand('grace@example.com', 'Grace'));
        throw new Error('the rest of the transaction failed');
      }),
    ).rejects.toThrow('the rest of the transaction failed');
    expect(bus.published).toHaveLength(1);
  });

  it('publishes nothing when the repository refuses the user', async () => {
    const { handler, bus } = setup(new EmailAlwaysTakenRepository());

    await expect(handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'))).rejects.toThrow(EmailTakenError);
    expect(bus.published).toEqual([]);
  });

  it('refuses an email already in use, whatever its case, and publishes only the first registration', async () => {
    const { handler, bus, users } = setup();
    const first = await handler.execute(new RegisterUserCommand('ada@example.com', 'Ada'));

    const attempt = handler.execute(new RegisterUserCommand(' ADA@example.com', 'Impostor'));

    await expect(attempt).rejects.toThrow(EmailTakenError);
    await expect(attempt).rejects.toMatchObject({ email: 'ada@example.com', code: 'USERS.EMAIL_TAKEN' });
    expect(bus.published).toEqual([new UserRegisteredEvent(first.id, 'ada@example.com', 'Ada', NOW)]);
    expect((await users.list({ limit: 10 })).map((user) => user.name)).toEqual(['Ada']);
  });

  it('rejects invalid input before storing or publishing anything', async () => {
    const { handler, bus, users } = setup();

    await expect(handler.execute(new RegisterUserCommand('not-an-email', 'Ada'))).rejects.toThrow(InvalidUserError);
    await expect(handler.execute(new RegisterUserCommand('ada@example.com', '   '))).rejects.toThrow(InvalidUserError);
    expect(bus.published).toEqual([]);
    expect(await users.list({ limit: 10 })).toEqual([]);
  });
});
