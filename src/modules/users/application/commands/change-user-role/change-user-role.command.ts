import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { User, UserRole } from '../../../domain/user.js';

@RequiresHandler()
export class ChangeUserRoleCommand extends Command<User> {
  constructor(
    readonly userId: string,
    readonly role: UserRole,
  ) {
    super();
  }
}
