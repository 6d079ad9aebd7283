import { CommandBus, CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../infrastructure/database/unit-of-work.js';
import { Clock } from '../../../../../shared/clock.js';
import { GetUserQuery, VerifyUserEmailCommand } from '../../../../users/users.contracts.js';
import { OneTimeTokenInvalidError } from '../../../domain/auth.errors.js';
import { CredentialStore } from '../../../infrastructure/credential.store.js';
import { LoginFailureStore } from '../../../infrastructure/login-failure.store.js';
import { OneTimeTokenStore } from '../../../infrastructure/one-time-token.store.js';
import { RevocationSet } from '../../../infrastructure/revocation-set.js';
import { hashOpaqueToken } from '../../../infrastructure/secret-tokens.js';
import { SessionStore } from '../../../infrastructure/session.store.js';
import { PasswordGuard } from '../../password-guard.js';
import { ResetPasswordCommand } from './reset-password.command.js';

/**
 * Sets a password with a reset token, in one transaction: the token is used, the password set,
 * every session revoked, and the address marked verified (the token came through it). The
 * account's failed logins are forgotten: its owner just proved who they are. A rejected
 * password leaves the token usable. Also how a user created by an admin sets a first
 * password.
 */
@CommandHandler(ResetPasswordCommand)
export class ResetPasswordHandler implements ICommandHandler<ResetPasswordCommand> {
  constructor(
    private readonly tokens: OneTimeTokenStore,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly passwords: PasswordGuard,
    private readonly credentials: CredentialStore,
    private readonly sessions: SessionStore,
    private readonly revocations: RevocationSet,
    private readonly failures: LoginFailureStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(command: ResetPasswordCommand): Promise<void> {
    const hashOfToken = hashOpaqueToken(command.token);
    const pending = await this.tokens.find(hashOfToken, 'password_reset', this.clock.now());
    if (!pending) throw new OneTimeTokenInvalidError('password reset');
    const account = await this.queries.execute(new GetUserQuery(pending.userId));
    const hash = await this.passwords.hashNew(command.password, account.email);

    const revoked = await this.unitOfWork.run(async () => {
      const now = this.clock.now();
      const used = await this.tokens.consume(hashOfToken, 'password_reset', now);
      if (!used) throw new OneTimeTokenInvalidError('password reset');
      await this.credentials.set(used.userId, hash, now);
      await this.commands.execute(new VerifyUserEmailCommand(used.userId, used.email));
      return this.sessions.revokeAll(used.userId, 'password_reset', now);
    });
    this.revocations.add(revoked);
    await this.failures.clearAccount(account.email);
  }
}
