import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { Mailer } from '../../../../infrastructure/mail/mailer.js';
import { type TaskContext, TaskHandler, type TaskRunner } from '../../../tasks/tasks.contracts.js';
import { UserRepository } from '../../domain/user.repository.js';

export const SEND_WELCOME_EMAIL = 'users.send-welcome-email';

export class SendWelcomeEmailPayload {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId: string;
}

export type WelcomeEmailResult = { sent: true; to: string } | { sent: false; reason: string };

/**
 * Sends the welcome message of a new user, to the address the user has when the task runs
 * (the payload carries only the id, so no personal data sits in the queue or the task row).
 * The text is fixed: anyone may sign up with any address before it is verified, so a message
 * to it must carry nothing the signer chose (a name can be a sentence).
 *
 * Run twice, it sends twice only if the first run got the message out but died before the
 * task was marked succeeded; the message id is the same both times (`welcome-<userId>`), so
 * mail clients show it once, and the development adapter overwrites its file.
 */
@Injectable()
@TaskHandler({
  type: SEND_WELCOME_EMAIL,
  submitters: 'internal',
  payload: SendWelcomeEmailPayload,
  maxAttempts: 5,
  description: 'Sends the welcome email of a registered user (queued on users.registered)',
})
export class SendWelcomeEmailTask implements TaskRunner<SendWelcomeEmailPayload, WelcomeEmailResult> {
  constructor(
    private readonly users: UserRepository,
    private readonly mailer: Mailer,
  ) {}

  async run(payload: SendWelcomeEmailPayload, context: TaskContext): Promise<WelcomeEmailResult> {
    const user = await this.users.findById(payload.userId);
    if (!user) return { sent: false, reason: 'the user was deleted before the email was sent' };
    await this.mailer.send(
      {
        id: `welcome-${user.id}`,
        to: user.email,
        subject: 'Welcome!',
        text: 'Hello,\n\nyour account is ready.\n',
      },
      context.signal,
    );
    return { sent: true, to: user.email };
  }
}
