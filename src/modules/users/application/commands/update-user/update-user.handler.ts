import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/clock.js';
import type { User } from '../../../domain/user.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { UpdateUserCommand } from './update-user.command.js';

/**
 * Changes a user's name or email. Two guards against lost updates: the version the client
 * read must still be current, and the write itself only applies to the version loaded here.
 * A new email is announced (`users.email-changed`) once saved, so it gets verified again.
 */
@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler implements ICommandHandler<UpdateUserCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  async execute(command: UpdateUserCommand): Promise<User> {
    const user = await this.users.getById(command.userId);
    user.assertVersion(command.expectedVersion);
    if (user.update(command.changes, this.clock.now())) {
      await this.users.save(user);
      this.events.publishAll(user.pullEvents());
    }
    return user;
  }
}
