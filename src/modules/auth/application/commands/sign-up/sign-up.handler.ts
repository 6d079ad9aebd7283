import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../infrastructure/database/unit-of-work.js';
import { Clock } from '../../../../../shared/clock.js';
import { RegisterUserCommand } from '../../../../users/users.contracts.js';
import { CredentialStore } from '../../../infrastructure/credential.store.js';
import type { Account, TokenPair } from '../../account.js';
import { PasswordGuard } from '../../password-guard.js';
import { SessionIssuer } from '../../session-issuer.js';
import { SignUpCommand } from './sign-up.command.js';

/**
 * Creates the user (through the users module), its credential and its first session in one
 * transaction: a failure anywhere leaves neither a user without a password nor the reverse.
 * The password is checked and hashed before the transaction opens, so no connection is held
 * while argon2 runs.
 */
@CommandHandler(SignUpCommand)
export class SignUpHandler implements ICommandHandler<SignUpCommand> {
  constructor(
    private readonly commands: CommandBus,
    private readonly unitOfWork: UnitOfWork,
    private readonly passwords: PasswordGuard,
    private readonly credentials: CredentialStore,
    private readonly sessions: SessionIssuer,
    private readonly clock: Clock,
  ) {}

  async execute(command: SignUpCommand): Promise<{ account: Account; tokens: TokenPair }> {
    const hash = await this.passwords.hashNew(command.password, command.email);
    return this.unitOfWork.run(async () => {
      const account = await this.commands.execute(new RegisterUserCommand(command.email, command.name));
      await this.credentials.set(account.id, hash, this.clock.now());
      return { account, tokens: await this.sessions.start(account, command.client) };
    });
  }
}
