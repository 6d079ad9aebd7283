import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { ClientInfo, TokenPair } from '../../account.js';

@RequiresHandler()
export class RefreshSessionCommand extends Command<TokenPair> {
  constructor(
    readonly refreshToken: string,
    readonly client: ClientInfo,
  ) {
    super();
  }
}
