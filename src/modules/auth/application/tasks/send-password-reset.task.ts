import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { type TaskContext, TaskHandler, type TaskRunner } from '../../../tasks/tasks.contracts.js';
import { AccountMail, type AccountMailResult } from './account-mail.js';

export const SEND_PASSWORD_RESET = 'auth.send-password-reset';

export class AccountMailPayload {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId: string;
}

/** Mails a single-use password-reset token (queued by `POST /v1/auth/password-reset`). */
@Injectable()
@TaskHandler({
  type: SEND_PASSWORD_RESET,
  submitters: 'internal',
  payload: AccountMailPayload,
  maxAttempts: 5,
  description: 'Sends a password-reset email with a single-use token (queued by POST /v1/auth/password-reset)',
})
export class SendPasswordResetTask implements TaskRunner<AccountMailPayload, AccountMailResult> {
  constructor(private readonly mail: AccountMail) {}

  run(payload: AccountMailPayload, context: TaskContext): Promise<AccountMailResult> {
    return this.mail.send(payload.userId, 'password_reset', context, (token, minutes) => ({
      subject: 'Reset your password',
      text:
        `Someone asked to reset the password of the account with this address.\n\n` +
        `Your reset code, valid for ${minutes} minutes and usable once:\n\n${token}\n\n` +
        `Send it with your new password to POST /v1/auth/password-reset/confirm.\n` +
        `If you did not ask for this, ignore this message: your password stays as it is.\n`,
    }));
  }
}
