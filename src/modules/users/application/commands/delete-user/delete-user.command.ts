import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';

@RequiresHandler()
export class DeleteUserCommand extends Command<void> {
  constructor(
    readonly userId: string,
    /** The version the client last read (from `If-Match`); omitted for an unconditional delete. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
