import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../infrastructure/database/unit-of-work.js';
import { affectedRows } from '../../../infrastructure/retention/retention-sweep.js';

export type OneTimeTokenPurpose = 'password_reset' | 'email_verification';

export interface IssuedToken {
  /** The issue this token belongs to: a re-run of the mail task replaces its token, it does not add one. */
  id: string;
  userId: string;
  purpose: OneTimeTokenPurpose;
  /** The address the token was sent to. */
  email: string;
  hash: Buffer;
  createdAt: Date;
  expiresAt: Date;
}

/** Single-use tokens sent by email, stored only as SHA-256 hashes (`auth_one_time_tokens`). */
@Injectable()
export class OneTimeTokenStore {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /**
   * Stores the token of an issue. Issuing again under the same id (the mail task ran twice)
   * replaces the hash, so only the token of the last mail works; a used token stays used.
   * Returns false when the issue's token was already used.
   */
  async issue(token: IssuedToken): Promise<boolean> {
    const rows: unknown[] = await this.unitOfWork.manager.query(
      `INSERT INTO auth_one_time_tokens (id, token_hash, user_id, purpose, email, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at,
         expires_at = EXCLUDED.expires_at
       WHERE auth_one_time_tokens.used_at IS NULL
       RETURNING id`,
      [token.id, token.hash, token.userId, token.purpose, token.email, token.createdAt, token.expiresAt],
    );
    return rows.length > 0;
  }

  /** The live token with this hash, without using it. */
  async find(hash: Buffer, purpose: OneTimeTokenPurpose, now: Date): Promise<{ userId: string; email: string } | null> {
    const rows: { userId: string; email: string }[] = await this.unitOfWork.manager.query(
      `SELECT user_id AS "userId", email FROM auth_one_time_tokens
       WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
      [hash, purpose, now],
    );
    return rows[0] ?? null;
  }

  /**
   * Uses the token if it is live: unknown, expired and used tokens give null. One statement,
   * so two concurrent uses of one token cannot both succeed. Using a token also retires the
   * user's other live tokens of that purpose.
   */
  async consume(
    hash: Buffer,
    purpose: OneTimeTokenPurpose,
    now: Date,
  ): Promise<{ userId: string; email: string } | null> {
    const [rows]: [{ userId: string; email: string }[]] = await this.unitOfWork.manager.query(
      `UPDATE auth_one_time_tokens SET used_at = $3
       WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
       RETURNING user_id AS "userId", email`,
      [hash, purpose, now],
    );
    const used = rows[0];
    if (!used) return null;
    await this.unitOfWork.manager.query(
      `UPDATE auth_one_time_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [used.userId, purpose, now],
    );
    return used;
  }

  /**
   * Deletes up to `limit` expired tokens, used or not; answers how many (see AuthRetentionSweep).
   * A used token stays until it expires: deleted earlier, a late re-run of its mail task would
   * issue it again as new (see `issue`).
   */
  async deleteExpired(now: Date, limit: number): Promise<number> {
    return affectedRows(
      await this.unitOfWork.manager.query(
        `DELETE FROM auth_one_time_tokens WHERE id IN (
           SELECT id FROM auth_one_time_tokens WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [now, limit],
      ),
    );
  }
}
