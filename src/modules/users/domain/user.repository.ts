import type { User } from './user.js';
import { UserNotFoundError } from './user.errors.js';

export interface UserListCriteria {
  /** Page size; the adapter returns at most this many users. */
  limit: number;
  /** Only users whose id sorts after this one (keyset pagination). */
  afterId?: string;
  /** Exact match on the normalised email. */
  email?: string;
  /** Case-insensitive substring of the name or the email. */
  search?: string;
}

/**
 * Port: where users are kept. An abstract class, so it is its own DI token. Two adapters
 * implement it, PostgreSQL through TypeORM and an in-memory one for unit tests, and one
 * contract suite (`test/users/user-repository.contract.ts`) holds both to the same behaviour.
 */
export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;

  /** The user with this id; throws `UserNotFoundError` when there is none. */
  async getById(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new UserNotFoundError(id);
    return user;
  }

  /** Users in id order (creation order: ids are UUID v7). */
  abstract list(criteria: UserListCriteria): Promise<User[]>;

  /** How many users there are. */
  abstract count(): Promise<number>;

  /** Stores a new user. Throws `EmailTakenError` when the email is in use, whatever the race. */
  abstract add(user: User): Promise<void>;

  /**
   * Stores the changed user if the stored one is still at `user.version - 1`. Throws
   * `UserVersionMismatchError` when someone else changed it first, `UserNotFoundError` when it
   * is gone, `EmailTakenError` when the new email is in use.
   */
  abstract save(user: User): Promise<void>;

  /**
   * The ids of the admins, locked until the current unit of work ends (call it inside
   * `UnitOfWork.run`). Whoever takes the admin role away from someone locks them first, so of
   * two such transactions the second waits for the first to commit and then counts without it:
   * two admins demoting each other at once leave one admin, never none.
   */
  abstract lockAdmins(): Promise<string[]>;

  /** Deletes the user if it is still at `user.version`; errors as for `save`. */
  abstract remove(user: User): Promise<void>;
}
