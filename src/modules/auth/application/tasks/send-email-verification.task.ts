import { Injectable } from '@nestjs/common';
import { type TaskContext, TaskHandler, type TaskRunner } from '../../../tasks/tasks.contracts.js';
import { AccountMail, type AccountMailResult } from './account-mail.js';
import { AccountMailPayload } from './send-password-reset.task.js';

export const SEND_EMAIL_VERIFICATION = 'auth.send-email-verification';

/** Mails a single-use token proving the user's current address (on sign-up, email change, or on request). */
@Injectable()
@TaskHandler({
  type: SEND_EMAIL_VERIFICATION,
  submitters: 'internal',
  payload: AccountMailPayload,
  maxAttempts: 5,
  description: "Sends a verification email to the user's current address (on sign-up and email change)",
})
export class SendEmailVerificationTask implements TaskRunner<AccountMailPayload, AccountMailResult> {
  constructor(private readonly mail: AccountMail) {}

  run(payload: AccountMailPayload, context: TaskContext): Promise<AccountMailResult> {
    return this.mail.send(
      payload.userId,
      'email_verification',
      context,
      (token, minutes) => ({
        subject: 'Confirm your email address',
        text:
          `An account of this API was registered, or changed, with this address.\n\n` +
          `Your confirmation code, valid for ${minutes} minutes and usable once:\n\n${token}\n\n` +
          `Send it to POST /v1/auth/email-verification/confirm.\n` +
          `If this was not you, ignore this message.\n`,
      }),
      (account) => (account.emailVerifiedAt ? 'the address is already verified' : undefined),
    );
  }
}
