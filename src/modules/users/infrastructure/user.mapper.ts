import { User } from '../domain/user.js';
import { UserOrmEntity } from './user.orm-entity.js';

export const UserMapper = {
  toDomain(row: UserOrmEntity): User {
    return User.restore({
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      emailVerifiedAt: row.emailVerifiedAt,
      version: row.version,
    });
  },

  toRow(user: User): UserOrmEntity {
    return Object.assign(new UserOrmEntity(), user.toState());
  },
};
