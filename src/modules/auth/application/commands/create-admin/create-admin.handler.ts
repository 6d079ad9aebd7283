import { CommandBus, CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../infrastructure/database/unit-of-work.js';
import { Clock } from '../../../../../shared/clock.js';
import { ChangeUserRoleCommand, FindUserByEmailQuery, RegisterUserCommand } from '../../../../users/users.contracts.js';
import { PasswordRejectedError } from '../../../domain/auth.errors.js';
import { CredentialStore } from '../../../infrastructure/credential.store.js';
import { RevocationSet } from '../../../infrastructure/revocation-set.js';
import { SessionStore } from '../../../infrastructure/session.store.js';
import { PasswordGuard } from '../../password-guard.js';
import { CreateAdminCommand, type CreateAdminResult } from './create-admin.command.js';

/**
 * The operator's way in (`npm run users:create-admin`): no route can grant the admin role.
 * Account, role and credential change in one transaction, so a refusal or a crash leaves no
 * half-made admin. The password is checked and hashed before the transaction opens, as at
 * sign-up; the email need not be verified, since whoever runs this controls the database.
 */
@CommandHandler(CreateAdminCommand)
export class CreateAdminHandler implements ICommandHandler<CreateAdminCommand> {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly unitOfWork: UnitOfWork,
    private readonly passwords: PasswordGuard,
    private readonly credentials: CredentialStore,
    private readonly sessions: SessionStore,
    private readonly revocations: RevocationSet,
    private readonly clock: Clock,
  ) {}

  async execute({ email, name, password }: CreateAdminCommand): Promise<CreateAdminResult> {
    const existing = await this.queries.execute(new FindUserByEmailQuery(email));
    if (!existing && password === undefined)
      throw new PasswordRejectedError('password', 'is required to create an account');
    const accountEmail = existing?.email ?? email;
    const hash = password === undefined ? undefined : await this.passwords.hashNew(password, accountEmail);

    let revoked: string[] = [];
    const { account, hasPassword } = await this.unitOfWork.run(async () => {
      const now = this.clock.now();
      // A concurrent registration of the same email loses on the unique index (USERS.EMAIL_TAKEN).
      const user = existing ?? (await this.commands.execute(new RegisterUserCommand(email, name)));
      await this.commands.execute(new ChangeUserRoleCommand(user.id, 'admin'));
      if (hash === undefined)
        return { account: user, hasPassword: (await this.credentials.findHash(user.id)) !== undefined };
      await this.credentials.set(user.id, hash, now);
      if (existing) revoked = await this.sessions.revokeAll(user.id, 'password_reset', now);
      return { account: user, hasPassword: true };
    });
    this.revocations.add(revoked);
    return {
      userId: account.id,
      email: account.email,
      created: !existing,
      promoted: existing !== null && existing.role !== 'admin',
      passwordSet: hash !== undefined,
      hasPassword,
      sessionsRevoked: revoked.length,
    };
  }
}
