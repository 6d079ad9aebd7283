import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../../../infrastructure/auth/principal.js';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';

@RequiresHandler()
export class ChangePasswordCommand extends Command<void> {
  constructor(
    readonly principal: Principal,
    readonly currentPassword: string,
    readonly newPassword: string,
    /** The client address, for the brute-force limits on the current password. */
    readonly ip: string,
  ) {
    super();
  }
}
