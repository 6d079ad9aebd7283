import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UserRepository } from '../../../domain/user.repository.js';
import { DeleteUserCommand } from './delete-user.command.js';

/** Deletes a user (and, through the foreign key, its profile). */
@CommandHandler(DeleteUserCommand)
export class DeleteUserHandler implements ICommandHandler<DeleteUserCommand> {
  constructor(private readonly users: UserRepository) {}

  async execute(command: DeleteUserCommand): Promise<void> {
    const user = await this.users.getById(command.userId);
    user.assertVersion(command.expectedVersion);
    await this.users.remove(user);
  }
}
