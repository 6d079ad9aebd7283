import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';

/** Queues a new verification email to the user's current address (unless it is verified already). */
@RequiresHandler()
export class RequestEmailVerificationCommand extends Command<void> {
  constructor(readonly userId: string) {
    super();
  }
}
