import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { Account, ClientInfo, TokenPair } from '../../account.js';

@RequiresHandler()
export class SignUpCommand extends Command<{ account: Account; tokens: TokenPair }> {
  constructor(
    readonly email: string,
    readonly name: string,
    readonly password: string,
    readonly client: ClientInfo,
  ) {
    super();
  }
}
