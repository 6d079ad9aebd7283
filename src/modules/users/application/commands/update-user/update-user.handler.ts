import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../infrastructure/database/unit-of-work.js';
import { Outbox } from '../../../../../infrastructure/outbox/outbox.js';
import { Clock } from '../../../../../shared/clock.js';
import type { User } from '../../../domain/user.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { pullIntegrationEvents } from '../../events/user-integration-events.js';
import { UpdateUserCommand } from './update-user.command.js';

/**
 * Changes a user's name or email. Two guards against lost updates: the version the client
 * read must still be current, and the write itself only applies to the version loaded here.
 * A new email is announced (`users.email-changed`, through the outbox in the same
 * transaction), so it gets verified again.
 */
@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler implements ICommandHandler<UpdateUserCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: UpdateUserCommand): Promise<User> {
    return this.unitOfWork.run(async () => {
      const user = await this.users.getById(command.userId);
      user.assertVersion(command.expectedVersion);
      if (user.update(command.changes, this.clock.now())) {
        await this.users.save(user);
        await this.outbox.add(pullIntegrationEvents(user));
      }
      return user;
    });
  }
}
