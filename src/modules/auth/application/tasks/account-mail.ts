import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type AuthConfig, authConfig } from '../../../../infrastructure/config/auth.config.js';
import { Mailer } from '../../../../infrastructure/mail/mailer.js';
import { Clock } from '../../../../shared/clock.js';
import type { TaskContext } from '../../../tasks/tasks.contracts.js';
import { GetUserQuery } from '../../../users/users.contracts.js';
import { OneTimeTokenStore, type OneTimeTokenPurpose } from '../../infrastructure/one-time-token.store.js';
import { newOpaqueToken } from '../../infrastructure/secret-tokens.js';
import type { Account } from '../account.js';

export type AccountMailResult = { sent: true } | { sent: false; reason: string };

/**
 * Sends a mail holding a new one-time token. The token is made here, when the task runs, and
 * only its hash is stored: it is never in a queue, a task row or a result. The task id is the
 * token's issue id, so a second run of one task replaces the token of the first (only the
 * last mail's token works). The text is fixed and names no one: the address may not be
 * verified yet, so the mail carries nothing a caller chose.
 */
@Injectable()
export class AccountMail {
  constructor(
    private readonly queries: QueryBus,
    private readonly tokens: OneTimeTokenStore,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async send(
    userId: string,
    purpose: OneTimeTokenPurpose,
    context: TaskContext,
    compose: (token: string, ttlMinutes: number) => { subject: string; text: string },
    skip?: (account: Account) => string | undefined,
  ): Promise<AccountMailResult> {
    const account = await this.queries.execute(new GetUserQuery(userId)).catch(() => undefined);
    if (!account) return { sent: false, reason: 'the user no longer exists' };
    const skipped = skip?.(account);
    if (skipped) return { sent: false, reason: skipped };
    const ttlS = purpose === 'password_reset' ? this.config.passwordResetTtlS : this.config.emailVerificationTtlS;
    const now = this.clock.now();
    const { token, hash } = newOpaqueToken();
    const issued = await this.tokens.issue({
      id: context.taskId,
      userId: account.id,
      purpose,
      email: account.email,
      hash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlS * 1000),
    });
    if (!issued) return { sent: false, reason: 'the token of this request was already used' };
    const { subject, text } = compose(token, Math.round(ttlS / 60));
    await this.mailer.send({ id: `${purpose}-${context.taskId}`, to: account.email, subject, text }, context.signal);
    return { sent: true };
  }
}
