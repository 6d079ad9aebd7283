import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { OnIntegrationEvent } from '../../../../infrastructure/outbox/on-integration-event.decorator.js';
import { SubmitTaskCommand } from '../../../tasks/tasks.contracts.js';
import {
  USERS_EMAIL_CHANGED,
  USERS_REGISTERED,
  type UsersEmailChangedPayload,
  type UsersRegisteredPayload,
} from '../../../users/users.contracts.js';
import { SEND_EMAIL_VERIFICATION } from '../tasks/send-email-verification.task.js';

/**
 * Queues the verification email of a new account and of a changed address. The outbox
 * delivers each event at least once; the idempotency key names the event (its `eventId`), so
 * a redelivered event queues nothing more, and two changes never share a key.
 */
@Injectable()
export class QueueEmailVerificationListener {
  constructor(private readonly commands: CommandBus) {}

  @OnIntegrationEvent(USERS_REGISTERED)
  async onRegistered(event: UsersRegisteredPayload): Promise<void> {
    await this.queue(event);
  }

  @OnIntegrationEvent(USERS_EMAIL_CHANGED)
  async onEmailChanged(event: UsersEmailChangedPayload): Promise<void> {
    await this.queue(event);
  }

  private async queue({ userId, eventId }: UsersRegisteredPayload | UsersEmailChangedPayload): Promise<void> {
    await this.commands.execute(
      new SubmitTaskCommand({
        type: SEND_EMAIL_VERIFICATION,
        payload: { userId },
        idempotencyKey: `${SEND_EMAIL_VERIFICATION}:${eventId}`,
      }),
    );
  }
}
