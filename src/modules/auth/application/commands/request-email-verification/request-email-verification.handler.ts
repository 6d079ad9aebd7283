import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/clock.js';
import { SubmitTaskCommand } from '../../../../tasks/tasks.contracts.js';
import { SEND_EMAIL_VERIFICATION } from '../../tasks/send-email-verification.task.js';
import { mailIdempotencyKey } from '../../mail-period.js';
import { RequestEmailVerificationCommand } from './request-email-verification.command.js';

/** Queues the verification email; asking again within the period returns the same task (no mail bombs). */
@CommandHandler(RequestEmailVerificationCommand)
export class RequestEmailVerificationHandler implements ICommandHandler<RequestEmailVerificationCommand> {
  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  async execute({ userId }: RequestEmailVerificationCommand): Promise<void> {
    await this.commands.execute(
      new SubmitTaskCommand({
        type: SEND_EMAIL_VERIFICATION,
        payload: { userId },
        idempotencyKey: mailIdempotencyKey(SEND_EMAIL_VERIFICATION, userId, this.clock.now()),
      }),
    );
  }
}
