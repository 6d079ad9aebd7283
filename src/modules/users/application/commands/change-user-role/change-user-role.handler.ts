import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { UnitOfWork } from '../../../../../infrastructure/database/unit-of-work.js';
import { Clock } from '../../../../../shared/clock.js';
import type { User, UserRole } from '../../../domain/user.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { USERS_ROLE_CHANGED, type UsersRoleChangedPayload } from '../../../users.contracts.js';
import { loadUnlessLastAdmin } from '../../last-admin.js';
import { ChangeUserRoleCommand } from './change-user-role.command.js';

/**
 * Changes a user's role. A demotion locks the admins first (`loadUnlessLastAdmin`), so the last
 * admin can be neither demoted nor raced away by two admins demoting each other.
 *
 * The integration event goes out with `emitAsync` after the commit, and is awaited: an admin
 * demoting a compromised account must know, when the call returns, that the account's access
 * tokens no longer work (the identity module revokes its sessions in a listener). Through the
 * event bus, like the other events of this module, the answer would race the revocation.
 */
@CommandHandler(ChangeUserRoleCommand)
export class ChangeUserRoleHandler implements ICommandHandler<ChangeUserRoleCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    private readonly emitter: EventEmitter2,
  ) {}

  async execute(command: ChangeUserRoleCommand): Promise<User> {
    let previousRole: UserRole | undefined;
    const changed = await this.unitOfWork.run(async () => {
      const user =
        command.role === 'admin'
          ? await this.users.getById(command.userId)
          : await loadUnlessLastAdmin(this.users, command.userId);
      user.assertVersion(command.expectedVersion);
      const before = user.role;
      if (user.changeRole(command.role, this.clock.now())) {
        await this.users.save(user);
        previousRole = before;
      }
      return user;
    });
    if (previousRole !== undefined) await this.announce(changed, previousRole);
    return changed;
  }

  /**
   * Awaited when this command committed its own transaction. Inside a caller's unit of work (the
   * create-admin command) the event waits for that commit, when nobody is left to await it: it
   * then goes out with plain `emit`, like the module's other events, which that caller's process
   * tracks (the create-admin CLI drains them before it closes the database).
   */
  private async announce(user: User, previousRole: UserRole): Promise<void> {
    const payload: UsersRoleChangedPayload = {
      userId: user.id,
      role: user.role,
      previousRole,
      changedAt: user.updatedAt.toISOString(),
    };
    let deferred = false;
    let announced: Promise<unknown> | undefined;
    this.unitOfWork.afterCommit(() => {
      if (deferred) this.emitter.emit(USERS_ROLE_CHANGED, payload);
      else announced = this.emitter.emitAsync(USERS_ROLE_CHANGED, payload);
    });
    deferred = true;
    await announced;
  }
}
