import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { OnEvent } from '@nestjs/event-emitter';
import { SubmitTaskCommand } from '../../../tasks/tasks.contracts.js';
import { USERS_REGISTERED, type UsersRegisteredPayload } from '../../users.contracts.js';
import { SEND_WELCOME_EMAIL } from '../tasks/send-welcome-email.task.js';

/**
 * Queues the welcome email of a new user. The idempotency key makes a repeated event
 * harmless: the second submission returns the first task instead of sending again.
 */
@Injectable()
export class QueueWelcomeEmailListener {
  constructor(private readonly commands: CommandBus) {}

  @OnEvent(USERS_REGISTERED, { async: true })
  async handle(event: UsersRegisteredPayload): Promise<void> {
    await this.commands.execute(
      new SubmitTaskCommand({
        type: SEND_WELCOME_EMAIL,
        payload: { userId: event.userId },
        idempotencyKey: `${SEND_WELCOME_EMAIL}:${event.userId}`,
      }),
    );
  }
}
