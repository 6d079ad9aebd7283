import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/clock.js';
import { normaliseEmail } from '../../../domain/user.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { VerifyUserEmailCommand } from './verify-user-email.command.js';

@CommandHandler(VerifyUserEmailCommand)
export class VerifyUserEmailHandler implements ICommandHandler<VerifyUserEmailCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: VerifyUserEmailCommand): Promise<boolean> {
    const user = await this.users.getById(command.userId);
    if (user.verifyEmail(command.email, this.clock.now())) await this.users.save(user);
    return user.email === normaliseEmail(command.email) && user.emailVerifiedAt !== null;
  }
}
