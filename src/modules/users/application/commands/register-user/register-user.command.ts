import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { User } from '../../../domain/user.js';

@RequiresHandler()
export class RegisterUserCommand extends Command<User> {
  constructor(
    readonly email: string,
    readonly name: string,
  ) {
    super();
  }
}
