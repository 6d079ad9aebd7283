import { Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/clock.js';
import { FindUserByEmailQuery } from '../../../../users/users.contracts.js';
import { accountMailTask } from '../../mail-period.js';
import { SEND_PASSWORD_RESET } from '../../tasks/send-password-reset.task.js';
import { RequestPasswordResetCommand } from './request-password-reset.command.js';

/**
 * Looks the account up and queues its reset email after answering: the caller's response
 * takes the same time whether the account exists or not, and the lookup's failure is logged,
 * not shown. The email itself (and its token) is made by the task, so no token is ever in a
 * queue, a task row or a log line.
 */
@CommandHandler(RequestPasswordResetCommand)
export class RequestPasswordResetHandler implements ICommandHandler<RequestPasswordResetCommand> {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  async execute(command: RequestPasswordResetCommand): Promise<void> {
    setImmediate(() => {
      this.queue(command.email).catch((error: unknown) =>
        this.logger.error({ err: error }, 'Could not queue a password-reset email'),
      );
    });
  }

  private async queue(email: string): Promise<void> {
    const account = await this.queries.execute(new FindUserByEmailQuery(email));
    if (!account) return;
    await this.commands.execute(accountMailTask(SEND_PASSWORD_RESET, account.id, this.clock.now()));
  }
}
