import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';

@RequiresHandler()
export class VerifyEmailCommand extends Command<void> {
  constructor(readonly token: string) {
    super();
  }
}
