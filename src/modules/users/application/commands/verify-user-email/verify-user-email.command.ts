import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';

/**
 * Marks `email` as verified for the user, if it is still the user's email. Resolves with
 * whether the user's current email is verified afterwards.
 */
@RequiresHandler()
export class VerifyUserEmailCommand extends Command<boolean> {
  constructor(
    readonly userId: string,
    readonly email: string,
  ) {
    super();
  }
}
