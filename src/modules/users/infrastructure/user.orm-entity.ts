import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { UserRole } from '../domain/user.js';

export const USERS_EMAIL_UNIQUE = 'users_email_key';

/** The `users` table. Persistence only: the rules live in the `User` aggregate. */
@Entity({ name: 'users' })
@Check('users_role_check', `"role" IN ('user', 'admin')`)
export class UserOrmEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Normalised by the aggregate (trimmed, lower case), so this index is case-insensitive uniqueness. */
  @Index(USERS_EMAIL_UNIQUE, { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role: UserRole;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ type: 'integer' })
  version: number;
}
