import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';

/** Asks for a reset email. Resolves at once, whether the account exists or not (no enumeration). */
@RequiresHandler()
export class RequestPasswordResetCommand extends Command<void> {
  constructor(readonly email: string) {
    super();
  }
}
