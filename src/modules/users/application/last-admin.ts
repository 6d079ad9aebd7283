import type { User } from '../domain/user.js';
import { LastAdminError } from '../domain/user.errors.js';
import type { UserRepository } from '../domain/user.repository.js';

/**
 * Loads a user that is about to lose the admin role (demoted, or deleted), refusing with
 * `LastAdminError` when it is the only admin. Call it inside `UnitOfWork.run`: the admins' rows
 * are locked before the user is read, so a concurrent demotion or deletion of another admin has
 * either committed (and is counted) or waits for this transaction (and then counts this one).
 */
export async function loadUnlessLastAdmin(users: UserRepository, userId: string): Promise<User> {
  const admins = await users.lockAdmins();
  const user = await users.getById(userId);
  if (user.role === 'admin' && !admins.some((id) => id !== user.id)) throw new LastAdminError(user.id);
  return user;
}
