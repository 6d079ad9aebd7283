import type { Principal } from '../../../infrastructure/auth/principal.js';
import { UserNotFoundError } from '../domain/user.errors.js';

/**
 * Who may read, change or delete a user: the user itself and admins. Anyone else gets exactly
 * the answer an unknown id gets (404 USERS.NOT_FOUND), so the API tells no one which ids exist.
 */
export function assertMayAccessUser(principal: Principal, userId: string): void {
  if (principal.userId !== userId && principal.role !== 'admin') throw new UserNotFoundError(userId);
}
