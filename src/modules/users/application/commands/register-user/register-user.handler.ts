import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../infrastructure/database/unit-of-work.js';
import { Outbox } from '../../../../../infrastructure/outbox/outbox.js';
import { Clock } from '../../../../../shared/clock.js';
import { newId } from '../../../../../shared/ids.js';
import { User } from '../../../domain/user.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { pullIntegrationEvents } from '../../events/user-integration-events.js';
import { RegisterUserCommand } from './register-user.command.js';

/**
 * Registers a user. The unique index on the email decides races (the adapter turns its
 * violation into `EmailTakenError`), so there is no check-then-insert here. The user and its
 * `users.registered` event are stored in one transaction (the caller's, when there is one:
 * sign-up stores the credential in it too), so the event exists exactly when the user does,
 * and the outbox delivers it even if this process dies right after the commit.
 */
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: RegisterUserCommand): Promise<User> {
    const user = User.register({ id: newId(), email: command.email, name: command.name, now: this.clock.now() });
    await this.unitOfWork.run(async () => {
      await this.users.add(user);
      await this.outbox.add(pullIntegrationEvents(user));
    });
    return user;
  }
}
