import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UserNotFoundError, UserVersionMismatchError } from '../../../domain/user.errors.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { DeleteUserCommand } from './delete-user.command.js';

/** Deletes a user (and, through the foreign key, its profile). */
@CommandHandler(DeleteUserCommand)
export class DeleteUserHandler implements ICommandHandler<DeleteUserCommand> {
  constructor(private readonly users: UserRepository) {}

  async execute(command: DeleteUserCommand): Promise<void> {
    const user = await this.users.findById(command.userId);
    if (!user) throw new UserNotFoundError(command.userId);
    if (command.expectedVersion !== undefined && command.expectedVersion !== user.version)
      throw new UserVersionMismatchError(user.id, command.expectedVersion, user.version);
    await this.users.remove(user);
  }
}
