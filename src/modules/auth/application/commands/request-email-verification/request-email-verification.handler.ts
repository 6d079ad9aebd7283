import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/clock.js';
import { SEND_EMAIL_VERIFICATION } from '../../tasks/send-email-verification.task.js';
import { accountMailTask } from '../../mail-period.js';
import { RequestEmailVerificationCommand } from './request-email-verification.command.js';

/** Queues the verification email; asking again within the period returns the same task (no mail bombs). */
@CommandHandler(RequestEmailVerificationCommand)
export class RequestEmailVerificationHandler implements ICommandHandler<RequestEmailVerificationCommand> {
  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  async execute({ userId }: RequestEmailVerificationCommand): Promise<void> {
    await this.commands.execute(accountMailTask(SEND_EMAIL_VERIFICATION, userId, this.clock.now()));
  }
}
