import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type AuthConfig, authConfig } from '../../../infrastructure/config/auth.config.js';
import { UnitOfWork } from '../../../infrastructure/database/unit-of-work.js';
import { affectedRows } from '../../../infrastructure/retention/retention-sweep.js';

/**
 * Failed logins, counted per account and per client address over a sliding window, in
 * PostgreSQL so that the limits hold across API replicas (every replica has the database;
 * a login already costs an argon2 verification, so one more indexed query is noise).
 * Accounts are keyed by a hash of the normalised email, so the table holds no addresses
 * and unknown emails are limited like real ones.
 */
@Injectable()
export class LoginFailureStore {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /**
   * Milliseconds until a login for this account from this address may be tried again, or 0
   * when it may be tried now.
   */
  async blockedForMs(email: string, address: string, now: Date): Promise<number> {
    const { windowMs, maxFailuresPerAccount, maxFailuresPerAddress } = this.config.login;
    const since = new Date(now.getTime() - windowMs);
    // The failure that must age out of the window before one more attempt is allowed: the
    // limit-th most recent one (OFFSET limit - 1), if there are that many.
    const [blocking]: { until: Date | null }[] = await this.unitOfWork.manager.query(
      `SELECT GREATEST(
         (SELECT failed_at FROM auth_login_failures WHERE account_key = $1 AND failed_at > $3
          ORDER BY failed_at DESC OFFSET $4 - 1 LIMIT 1),
         (SELECT failed_at FROM auth_login_failures WHERE address = $2 AND failed_at > $3
          ORDER BY failed_at DESC OFFSET $5 - 1 LIMIT 1)
       ) AS until`,
      [accountKey(email), address, since, maxFailuresPerAccount, maxFailuresPerAddress],
    );
    if (!blocking?.until) return 0;
    return Math.max(1, blocking.until.getTime() + windowMs - now.getTime());
  }

  async record(email: string, address: string, now: Date): Promise<void> {
    await this.unitOfWork.manager.query(
      `INSERT INTO auth_login_failures (account_key, address, failed_at) VALUES ($1, $2, $3)`,
      [accountKey(email), address, now],
    );
  }

  /** A successful login forgets the account's failures (not the address's: it may be guessing many accounts). */
  async clearAccount(email: string): Promise<void> {
    await this.unitOfWork.manager.query(`DELETE FROM auth_login_failures WHERE account_key = $1`, [accountKey(email)]);
  }

  /** Deletes up to `limit` failures older than the window; answers how many (see AuthRetentionSweep). */
  async deleteExpired(now: Date, limit: number): Promise<number> {
    return affectedRows(
      await this.unitOfWork.manager.query(
        `DELETE FROM auth_login_failures WHERE id IN (
           SELECT id FROM auth_login_failures WHERE failed_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [new Date(now.getTime() - this.config.login.windowMs), limit],
      ),
    );
  }
}

function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
