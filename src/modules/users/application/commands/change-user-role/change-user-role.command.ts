import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { User, UserRole } from '../../../domain/user.js';

/**
 * Gives a user a role. Refused with `USERS.LAST_ADMIN` when it would leave no admin. Once it
 * returns, the user's sessions have ended (through `users.role-changed`), unless it ran inside
 * a caller's unit of work: then that happens after the caller commits.
 */
@RequiresHandler()
export class ChangeUserRoleCommand extends Command<User> {
  constructor(
    readonly userId: string,
    readonly role: UserRole,
    /** The version the client last read (from `If-Match`); omitted for an unconditional change. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
