import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { OnIntegrationEvent } from '../../../../infrastructure/outbox/on-integration-event.decorator.js';
import { SubmitTaskCommand } from '../../../tasks/tasks.contracts.js';
import { USERS_REGISTERED, type UsersRegisteredPayload } from '../../users.contracts.js';
import { SEND_WELCOME_EMAIL } from '../tasks/send-welcome-email.task.js';

/**
 * Queues the welcome email of a new user. The outbox may deliver the event twice (a relay that
 * dies before recording the delivery); the idempotency key names the event, so the second
 * submission returns the first task instead of sending again.
 */
@Injectable()
export class QueueWelcomeEmailListener {
  constructor(private readonly commands: CommandBus) {}

  @OnIntegrationEvent(USERS_REGISTERED)
  async handle(event: UsersRegisteredPayload): Promise<void> {
    await this.commands.execute(
      new SubmitTaskCommand({
        type: SEND_WELCOME_EMAIL,
        payload: { userId: event.userId },
        idempotencyKey: `${SEND_WELCOME_EMAIL}:${event.eventId}`,
      }),
    );
  }
}
