import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../infrastructure/database/unit-of-work.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { loadUnlessLastAdmin } from '../../last-admin.js';
import { DeleteUserCommand } from './delete-user.command.js';

/**
 * Deletes a user (and, through the foreign keys, its profile and its sessions: the sessions
 * table's trigger tells every API process, so the user's access tokens stop working at once).
 * The last admin cannot be deleted; the admins are locked first, as for a demotion.
 */
@CommandHandler(DeleteUserCommand)
export class DeleteUserHandler implements ICommandHandler<DeleteUserCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: DeleteUserCommand): Promise<void> {
    await this.unitOfWork.run(async () => {
      const user = await loadUnlessLastAdmin(this.users, command.userId);
      user.assertVersion(command.expectedVersion);
      await this.users.remove(user);
    });
  }
}
