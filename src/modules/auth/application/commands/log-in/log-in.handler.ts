import { CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { FindUserByEmailQuery } from '../../../../users/users.contracts.js';
import type { TokenPair } from '../../account.js';
import { PasswordGuard } from '../../password-guard.js';
import { SessionIssuer } from '../../session-issuer.js';
import { LogInCommand } from './log-in.command.js';

/** Checks the password (with the brute-force limits) and opens a session. */
@CommandHandler(LogInCommand)
export class LogInHandler implements ICommandHandler<LogInCommand> {
  constructor(
    private readonly queries: QueryBus,
    private readonly passwords: PasswordGuard,
    private readonly sessions: SessionIssuer,
  ) {}

  async execute(command: LogInCommand): Promise<TokenPair> {
    const account = await this.queries.execute(new FindUserByEmailQuery(command.email));
    await this.passwords.check(command.email, account?.id, command.password, command.client.ip);
    return this.sessions.start(account!, command.client);
  }
}
