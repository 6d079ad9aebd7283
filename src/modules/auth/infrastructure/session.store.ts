import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../infrastructure/database/unit-of-work.js';

export interface SessionRecord {
  id: string;
  userId: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

export interface NewSession extends SessionRecord {
  absoluteExpiresAt: Date;
}

export type RevocationReason =
  'logout' | 'logout_all' | 'password_changed' | 'password_reset' | 'refresh_reused' | 'role_changed';

export type RotationResult =
  | { outcome: 'rotated'; session: SessionRecord }
  | { outcome: 'reused'; sessionId: string }
  | { outcome: 'raced' }
  | { outcome: 'invalid' };

const COLUMNS = `id, user_id AS "userId", user_agent AS "userAgent", ip, created_at AS "createdAt",
  last_used_at AS "lastUsedAt", expires_at AS "expiresAt"`;

/**
 * Sessions (one per login, per device) and their refresh tokens, stored as SHA-256 hashes. A
 * session ends by `revoked_at` or by deletion; the table's trigger tells every process
 * (see `RevocationSet`).
 */
@Injectable()
export class SessionStore {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async create(session: NewSession, refreshTokenHash: Buffer): Promise<void> {
    const db = this.unitOfWork.manager;
    await db.query(
      `INSERT INTO auth_sessions (id, user_id, user_agent, ip, created_at, last_used_at, expires_at, absolute_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        session.id,
        session.userId,
        session.userAgent,
        session.ip,
        session.createdAt,
        session.lastUsedAt,
        session.expiresAt,
        session.absoluteExpiresAt,
      ],
    );
    await this.addRefreshToken(refreshTokenHash, session.id, session.createdAt);
  }

  /**
   * Exchanges a refresh token for a new one, in one transaction that locks the presented token's
   * row, so of two concurrent refreshes with one token exactly one rotates it. A token found
   * rotated less than `raceWindowMs` ago lost such a race and changes nothing; found rotated
   * any later, it is a replayed stolen token, and the session is revoked.
   */
  async rotate(
    presentedHash: Buffer,
    next: { hash: Buffer; now: Date; expiresAt: Date; userAgent: string | null; ip: string | null },
    raceWindowMs: number,
  ): Promise<RotationResult> {
    return this.unitOfWork.run(async () => {
      const db = this.unitOfWork.manager;
      const [token]: { session_id: string; rotated_at: Date | null }[] = await db.query(
        `SELECT session_id, rotated_at FROM auth_refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
        [presentedHash],
      );
      if (!token) return { outcome: 'invalid' };
      if (token.rotated_at !== null) {
        if (next.now.getTime() - token.rotated_at.getTime() < raceWindowMs) return { outcome: 'raced' };
        await this.revoke(token.session_id, 'refresh_reused', next.now);
        return { outcome: 'reused', sessionId: token.session_id };
      }
      const [session]: SessionRecord[] = await db
        .query(
          `UPDATE auth_sessions SET last_used_at = $2, expires_at = LEAST($3, absolute_expires_at),
           user_agent = COALESCE($4, user_agent), ip = COALESCE($5, ip)
         WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2
         RETURNING ${COLUMNS}`,
          [token.session_id, next.now, next.expiresAt, next.userAgent, next.ip],
        )
        .then(([rows]: [SessionRecord[]]) => rows);
      if (!session) return { outcome: 'invalid' };
      await db.query(`UPDATE auth_refresh_tokens SET rotated_at = $2 WHERE token_hash = $1`, [presentedHash, next.now]);
      await this.addRefreshToken(next.hash, session.id, next.now);
      return { outcome: 'rotated', session };
    });
  }

  /** The user's live sessions, most recently used first. */
  async listActive(userId: string, now: Date): Promise<SessionRecord[]> {
    return this.unitOfWork.manager.query(
      `SELECT ${COLUMNS} FROM auth_sessions
       WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
       ORDER BY last_used_at DESC, id DESC`,
      [userId, now],
    );
  }

  /** Revokes one session; returns whether it was live. */
  async revoke(sessionId: string, reason: RevocationReason, now: Date): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.unitOfWork.manager.query(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, now, reason],
    );
    return affected > 0;
  }

  /** Revokes one of the user's sessions, if it is the user's and live; returns whether it was. */
  async revokeOwn(userId: string, sessionId: string, reason: RevocationReason, now: Date): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.unitOfWork.manager.query(
      `UPDATE auth_sessions SET revoked_at = $3, revoked_reason = $4
       WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3`,
      [sessionId, userId, now, reason],
    );
    return affected > 0;
  }

  /** Revokes every live session of the user but `exceptSessionId`; returns the ids revoked. */
  async revokeAll(userId: string, reason: RevocationReason, now: Date, exceptSessionId?: string): Promise<string[]> {
    const [rows]: [{ id: string }[]] = await this.unitOfWork.manager.query(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3
       WHERE user_id = $1 AND revoked_at IS NULL AND ($4::uuid IS NULL OR id <> $4::uuid)
       RETURNING id`,
      [userId, now, reason, exceptSessionId ?? null],
    );
    return rows.map((row) => row.id);
  }

  private async addRefreshToken(hash: Buffer, sessionId: string, createdAt: Date): Promise<void> {
    await this.unitOfWork.manager.query(
      `INSERT INTO auth_refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)`,
      [hash, sessionId, createdAt],
    );
  }
}
