import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../infrastructure/database/unit-of-work.js';
import { Clock } from '../../../../../shared/clock.js';
import { VerifyUserEmailCommand } from '../../../../users/users.contracts.js';
import { OneTimeTokenInvalidError } from '../../../domain/auth.errors.js';
import { OneTimeTokenStore } from '../../../infrastructure/one-time-token.store.js';
import { hashOpaqueToken } from '../../../infrastructure/secret-tokens.js';
import { VerifyEmailCommand } from './verify-email.command.js';

/**
 * Uses a verification token. It proves the address it was sent to, so it is refused when the
 * user's email has changed since (the new address gets its own token).
 */
@CommandHandler(VerifyEmailCommand)
export class VerifyEmailHandler implements ICommandHandler<VerifyEmailCommand> {
  constructor(
    private readonly tokens: OneTimeTokenStore,
    private readonly commands: CommandBus,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(command: VerifyEmailCommand): Promise<void> {
    await this.unitOfWork.run(async () => {
      const used = await this.tokens.consume(hashOpaqueToken(command.token), 'email_verification', this.clock.now());
      const verified = used && (await this.commands.execute(new VerifyUserEmailCommand(used.userId, used.email)));
      if (!verified) throw new OneTimeTokenInvalidError('email verification');
    });
  }
}
