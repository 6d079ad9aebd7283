import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { ClientInfo, TokenPair } from '../../account.js';

@RequiresHandler()
export class LogInCommand extends Command<TokenPair> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly client: ClientInfo & { ip: string },
  ) {
    super();
  }
}
