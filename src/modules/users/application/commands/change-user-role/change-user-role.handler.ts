import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/clock.js';
import type { User } from '../../../domain/user.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { ChangeUserRoleCommand } from './change-user-role.command.js';

@CommandHandler(ChangeUserRoleCommand)
export class ChangeUserRoleHandler implements ICommandHandler<ChangeUserRoleCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: ChangeUserRoleCommand): Promise<User> {
    const user = await this.users.getById(command.userId);
    if (user.changeRole(command.role, this.clock.now())) await this.users.save(user);
    return user;
  }
}
