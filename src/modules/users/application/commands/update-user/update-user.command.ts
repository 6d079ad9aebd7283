import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { User, UserChanges } from '../../../domain/user.js';

@RequiresHandler()
export class UpdateUserCommand extends Command<User> {
  constructor(
    readonly userId: string,
    readonly changes: UserChanges,
    /** The version the client last read (from `If-Match`); omitted for an unconditional update. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
