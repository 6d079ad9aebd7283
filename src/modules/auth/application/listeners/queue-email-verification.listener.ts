import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { OnEvent } from '@nestjs/event-emitter';
import { SubmitTaskCommand } from '../../../tasks/tasks.contracts.js';
import {
  USERS_EMAIL_CHANGED,
  USERS_REGISTERED,
  type UsersEmailChangedPayload,
  type UsersRegisteredPayload,
} from '../../../users/users.contracts.js';
import { SEND_EMAIL_VERIFICATION } from '../tasks/send-email-verification.task.js';

/**
 * Queues the verification email of a new account and of a changed address. The idempotency
 * key names the event, so a redelivered event queues nothing more.
 */
@Injectable()
export class QueueEmailVerificationListener {
  constructor(private readonly commands: CommandBus) {}

  @OnEvent(USERS_REGISTERED, { async: true })
  async onRegistered(event: UsersRegisteredPayload): Promise<void> {
    await this.queue(event.userId, event.registeredAt);
  }

  @OnEvent(USERS_EMAIL_CHANGED, { async: true })
  async onEmailChanged(event: UsersEmailChangedPayload): Promise<void> {
    await this.queue(event.userId, event.changedAt);
  }

  private async queue(userId: string, at: string): Promise<void> {
    await this.commands.execute(
      new SubmitTaskCommand({
        type: SEND_EMAIL_VERIFICATION,
        payload: { userId },
        idempotencyKey: `${SEND_EMAIL_VERIFICATION}:${userId}:${at}`,
      }),
    );
  }
}
