import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../infrastructure/database/unit-of-work.js';

/** Password hashes, one per user (`auth_credentials`); part of the caller's unit of work. */
@Injectable()
export class CredentialStore {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async findHash(userId: string): Promise<string | undefined> {
    const rows: { password_hash: string }[] = await this.unitOfWork.manager.query(
      `SELECT password_hash FROM auth_credentials WHERE user_id = $1`,
      [userId],
    );
    return rows[0]?.password_hash;
  }

  /** Sets the user's password hash, creating the credential of a user that had none (created by an admin). */
  async set(userId: string, passwordHash: string, now: Date): Promise<void> {
    await this.unitOfWork.manager.query(
      `INSERT INTO auth_credentials (user_id, password_hash, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at`,
      [userId, passwordHash, now],
    );
  }

  /** Replaces the hash only if it is still `previousHash` (an upgrade at login must not undo a concurrent change). */
  async upgrade(userId: string, previousHash: string, passwordHash: string, now: Date): Promise<void> {
    await this.unitOfWork.manager.query(
      `UPDATE auth_credentials SET password_hash = $3, updated_at = $4 WHERE user_id = $1 AND password_hash = $2`,
      [userId, previousHash, passwordHash, now],
    );
  }
}
