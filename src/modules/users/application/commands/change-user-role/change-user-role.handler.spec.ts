import type { EventEmitter2 } from '@nestjs/event-emitter';
import { FakeUnitOfWork } from '../../../../../../test/fakes/fake-unit-of-work.js';
import { FixedClock } from '../../../../../../test/fakes/fixed-clock.js';
import { LastAdminError, UserVersionMismatchError } from '../../../domain/user.errors.js';
import { User } from '../../../domain/user.js';
import { InMemoryUserRepository } from '../../../infrastructure/in-memory-user.repository.js';
import { ChangeUserRoleCommand } from './change-user-role.command.js';
import { ChangeUserRoleHandler } from './change-user-role.handler.js';

const REGISTERED_AT = new Date('2024-01-01T00:00:00.000Z');
const CHANGED_AT = new Date('2024-02-02T00:00:00.000Z');
const ADA_ID = '01936f5e-0000-7000-8000-00000000000a';
const GRACE_ID = '01936f5e-0000-7000-8000-00000000000b';

/** Records each emitAsync, and resolves it only when `release` is called, like a listener still at work. */
class SlowEmitter {
  readonly emitted: { event: unknown; payload: unknown }[] = [];
  private releases: (() => void)[] = [];
  emitAsync(event: unknown, payload: unknown): Promise<unknown[]> {
    this.emitted.push({ event, payload });
    return new Promise((resolve) => this.releases.push(() => resolve([])));
  }
  release(): void {
    for (const release of this.releases.splice(0)) release();
  }
}

async function setup() {
  const users = new InMemoryUserRepository();
  for (const [id, name] of [
    [ADA_ID, 'ada'],
    [GRACE_ID, 'grace'],
  ])
    await users.add(User.register({ id, email: `${name}@example.com`, name, now: REGISTERED_AT }));
  const emitter = new SlowEmitter();
  const handler = new ChangeUserRoleHandler(
    users,
    new FixedClock(CHANGED_AT),
    new FakeUnitOfWork().asUnitOfWork(),
    emitter as unknown as EventEmitter2,
  );
  /** Runs the command, releasing the listeners as soon as they were called. */
  const run = async (command: ChangeUserRoleCommand) => {
    const result = handler.execute(command);
    setImmediate(() => emitter.release());
    return result;
  };
  return { users, emitter, handler, run };
}

describe('ChangeUserRoleHandler', () => {
  it('saves the new role and announces users.role-changed with the previous one', async () => {
    const { users, emitter, run } = await setup();

    const user = await run(new ChangeUserRoleCommand(ADA_ID, 'admin'));

    expect(user).toMatchObject({ role: 'admin', version: 2 });
    expect((await users.findById(ADA_ID))?.role).toBe('admin');
    expect(emitter.emitted).toEqual([
      {
        event: 'users.role-changed',
        payload: { userId: ADA_ID, role: 'admin', previousRole: 'user', changedAt: CHANGED_AT.toISOString() },
      },
    ]);
  });

  it('answers only once the listeners have finished (the sessions are ended by then)', async () => {
    const { emitter, handler } = await setup();
    let done = false;

    const pending = handler.execute(new ChangeUserRoleCommand(ADA_ID, 'admin')).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect({ emitted: emitter.emitted.length, done }).toEqual({ emitted: 1, done: false });

    emitter.release();
    await pending;
    expect(done).toBe(true);
  });

  it('changes nothing and announces nothing when the user has the role already', async () => {
    const { emitter, run } = await setup();

    expect(await run(new ChangeUserRoleCommand(ADA_ID, 'user'))).toMatchObject({ role: 'user', version: 1 });
    expect(emitter.emitted).toEqual([]);
  });

  it('refuses to demote the last admin with LastAdminError, and announces nothing', async () => {
    const { users, emitter, run } = await setup();
    await run(new ChangeUserRoleCommand(ADA_ID, 'admin'));
    emitter.emitted.length = 0;

    await expect(run(new ChangeUserRoleCommand(ADA_ID, 'user'))).rejects.toThrow(LastAdminError);
    expect((await users.findById(ADA_ID))?.role).toBe('admin');
    expect(emitter.emitted).toEqual([]);
  });

  it('demotes an admin while another remains', async () => {
    const { users, run } = await setup();
    await run(new ChangeUserRoleCommand(ADA_ID, 'admin'));
    await run(new ChangeUserRoleCommand(GRACE_ID, 'admin'));

    await run(new ChangeUserRoleCommand(ADA_ID, 'user'));

    expect((await users.findById(ADA_ID))?.role).toBe('user');
    await expect(run(new ChangeUserRoleCommand(GRACE_ID, 'user'))).rejects.toMatchObject({
      code: 'USERS.LAST_ADMIN',
    });
  });

  it('refuses a stale expected version', async () => {
    const { run } = await setup();

    await expect(run(new ChangeUserRoleCommand(ADA_ID, 'admin', 7))).rejects.toThrow(UserVersionMismatchError);
  });
});
