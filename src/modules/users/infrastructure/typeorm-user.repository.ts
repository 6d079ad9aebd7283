import { Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { UnitOfWork } from '../../../infrastructure/database/unit-of-work.js';
import { isUniqueViolation } from '../../../infrastructure/database/postgres-errors.js';
import type { User } from '../domain/user.js';
import { EmailTakenError, UserNotFoundError, UserVersionMismatchError } from '../domain/user.errors.js';
import { type UserListCriteria, UserRepository } from '../domain/user.repository.js';
import { UserMapper } from './user.mapper.js';
import { USERS_EMAIL_UNIQUE, UserOrmEntity } from './user.orm-entity.js';

/** `%`, `_` and `\` match literally in a search, not as LIKE wildcards. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * PostgreSQL adapter. Every write is one statement, so it commits or fails as a whole; the
 * version in the `WHERE` clause makes `save` and `remove` compare-and-set. Inside a
 * `UnitOfWork.run` every statement joins that transaction (sign-up stores the user and its
 * credential together).
 */
@Injectable()
export class TypeOrmUserRepository extends UserRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {
    super();
  }

  private get rows(): Repository<UserOrmEntity> {
    return this.unitOfWork.manager.getRepository(UserOrmEntity);
  }

  /**
   * The hot path of every read and write, so plain SQL: TypeORM's query building and entity
   * hydration cost ~100 µs a call here (bench users-get). The aliases give the row the
   * entity's shape, so the one mapper serves both paths.
   */
  async findById(id: string): Promise<User | null> {
    const rows: UserOrmEntity[] = await this.unitOfWork.manager.query(
      `SELECT id, email, name, role, created_at AS "createdAt", updated_at AS "updatedAt",
              email_verified_at AS "emailVerifiedAt", version
       FROM users WHERE id = $1`,
      [id],
    );
    return rows.length > 0 ? UserMapper.toDomain(rows[0]) : null;
  }

  async list(criteria: UserListCriteria): Promise<User[]> {
    const query = this.rows.createQueryBuilder('user').orderBy('user.id', 'ASC').limit(criteria.limit);
    if (criteria.afterId !== undefined) query.andWhere('user.id > :afterId', { afterId: criteria.afterId });
    if (criteria.email !== undefined) query.andWhere('user.email = :email', { email: criteria.email });
    if (criteria.search !== undefined)
      query.andWhere('(user.name ILIKE :pattern OR user.email ILIKE :pattern)', {
        pattern: `%${escapeLike(criteria.search)}%`,
      });
    return (await query.getMany()).map(UserMapper.toDomain);
  }

  async count(): Promise<number> {
    return this.rows.count();
  }

  async add(user: User): Promise<void> {
    try {
      await this.rows.insert(UserMapper.toRow(user));
    } catch (error) {
      throw isUniqueViolation(error, USERS_EMAIL_UNIQUE) ? new EmailTakenError(user.email) : error;
    }
  }

  async save(user: User): Promise<void> {
    const { email, name, role, emailVerifiedAt, updatedAt, version } = user.toState();
    try {
      const result = await this.rows.update(
        { id: user.id, version: version - 1 },
        { email, name, role, emailVerifiedAt, updatedAt, version },
      );
      if (result.affected === 0) await this.explainMissedWrite(user.id, version - 1);
    } catch (error) {
      throw isUniqueViolation(error, USERS_EMAIL_UNIQUE) ? new EmailTakenError(email) : error;
    }
  }

  /** `ORDER BY id` locks the rows in one order in every transaction, so two of them never deadlock here. */
  async lockAdmins(): Promise<string[]> {
    const rows: { id: string }[] = await this.unitOfWork.manager.query(
      `SELECT id FROM users WHERE role = 'admin' ORDER BY id FOR UPDATE`,
    );
    return rows.map((row) => row.id);
  }

  async remove(user: User): Promise<void> {
    const result = await this.rows.delete({ id: user.id, version: user.version });
    if (result.affected === 0) await this.explainMissedWrite(user.id, user.version);
  }

  /** A compare-and-set touched no row: either the user is gone or it moved on. */
  private async explainMissedWrite(id: string, expectedVersion: number): Promise<never> {
    const current = await this.rows.findOne({ where: { id }, select: { id: true, version: true } });
    if (!current) throw new UserNotFoundError(id);
    throw new UserVersionMismatchError(id, expectedVersion, current.version);
  }
}
