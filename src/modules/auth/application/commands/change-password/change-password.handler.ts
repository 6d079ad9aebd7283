import { CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../infrastructure/database/unit-of-work.js';
import { Clock } from '../../../../../shared/clock.js';
import { GetUserQuery } from '../../../../users/users.contracts.js';
import { CurrentPasswordWrongError } from '../../../domain/auth.errors.js';
import { CredentialStore } from '../../../infrastructure/credential.store.js';
import { RevocationSet } from '../../../infrastructure/revocation-set.js';
import { SessionStore } from '../../../infrastructure/session.store.js';
import { PasswordGuard } from '../../password-guard.js';
import { ChangePasswordCommand } from './change-password.command.js';

/**
 * Sets a new password given the current one, and revokes every other session of the user:
 * whoever else knew the old password is logged out; the caller's own session stays.
 */
@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand> {
  constructor(
    private readonly queries: QueryBus,
    private readonly passwords: PasswordGuard,
    private readonly credentials: CredentialStore,
    private readonly sessions: SessionStore,
    private readonly revocations: RevocationSet,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute({ principal, currentPassword, newPassword, ip }: ChangePasswordCommand): Promise<void> {
    const account = await this.queries.execute(new GetUserQuery(principal.userId));
    await this.passwords.check(account.email, account.id, currentPassword, ip, () => new CurrentPasswordWrongError());
    const hash = await this.passwords.hashNew(newPassword, account.email, 'newPassword');
    const revoked = await this.unitOfWork.run(async () => {
      const now = this.clock.now();
      await this.credentials.set(account.id, hash, now);
      return this.sessions.revokeAll(account.id, 'password_changed', now, principal.sessionId);
    });
    this.revocations.add(revoked);
  }
}
