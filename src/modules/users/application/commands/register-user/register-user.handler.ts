import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../infrastructure/database/unit-of-work.js';
import { Clock } from '../../../../../shared/clock.js';
import { newId } from '../../../../../shared/ids.js';
import { User } from '../../../domain/user.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { RegisterUserCommand } from './register-user.command.js';

/**
 * Registers a user. The unique index on the email decides races (the adapter turns its
 * violation into `EmailTakenError`), so there is no check-then-insert here. Events are
 * published only after the insert has committed: at once, or when the caller's unit of work
 * commits (sign-up stores the credential in the same transaction).
 */
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: RegisterUserCommand): Promise<User> {
    const user = User.register({ id: newId(), email: command.email, name: command.name, now: this.clock.now() });
    await this.users.add(user);
    const events = user.pullEvents();
    this.unitOfWork.afterCommit(() => this.events.publishAll(events));
    return user;
  }
}
