import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../infrastructure/database/unit-of-work.js';
import {
  affectedRows,
  RetentionSweep,
  type RetentionSweeper,
  type SweepContext,
  type SweepCounts,
} from '../../../infrastructure/retention/retention-sweep.js';
import { LoginFailureStore } from './login-failure.store.js';
import { OneTimeTokenStore } from './one-time-token.store.js';

/** Longer than any access token lives (AUTH_ACCESS_TOKEN_TTL_S is at most a day), plus skew. */
export const AUTH_RETAIN_MS = 25 * 3600_000;

/**
 * Deletes what can no longer matter: failed logins out of the window, one-time tokens (password
 * reset, email verification) past their expiry, sessions whose refresh token expired over a
 * day ago (their access tokens are long dead), and revocation records older than any access
 * token. Deleting a session that was never revoked records its revocation (the table's
 * trigger), which this sweep deletes a day later.
 */
@Injectable()
@RetentionSweep({ name: 'auth' })
export class AuthRetentionSweep implements RetentionSweeper {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly failures: LoginFailureStore,
    private readonly tokens: OneTimeTokenStore,
  ) {}

  async sweep({ now, inBatches }: SweepContext): Promise<SweepCounts> {
    const cutoff = new Date(now.getTime() - AUTH_RETAIN_MS);
    const loginFailures = await inBatches((limit) => this.failures.deleteExpired(now, limit));
    const oneTimeTokens = await inBatches((limit) => this.tokens.deleteExpired(now, limit));
    const sessions = await inBatches((limit) =>
      this.delete(
        `DELETE FROM auth_sessions WHERE id IN (
           SELECT id FROM auth_sessions WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        cutoff,
        limit,
      ),
    );
    const revocations = await inBatches((limit) =>
      this.delete(
        `DELETE FROM auth_revoked_sessions WHERE session_id IN (
           SELECT session_id FROM auth_revoked_sessions WHERE revoked_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        cutoff,
        limit,
      ),
    );
    return { loginFailures, oneTimeTokens, sessions, revocations };
  }

  private async delete(sql: string, cutoff: Date, limit: number): Promise<number> {
    return affectedRows(await this.unitOfWork.manager.query(sql, [cutoff, limit]));
  }
}
