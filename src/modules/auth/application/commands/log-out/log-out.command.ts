import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';

/**
 * Ends sessions of a user: `scope: 'current'` the one the caller's token belongs to, `'all'`
 * every one of them, or one session by id (404 when it is not the user's live session).
 */
@RequiresHandler()
export class LogOutCommand extends Command<void> {
  constructor(
    readonly userId: string,
    readonly scope: { current: string } | { all: true } | { sessionId: string },
  ) {
    super();
  }
}
