import { Query } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { User } from '../../../domain/user.js';

export interface UserPage {
  users: User[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
}

@RequiresHandler()
export class ListUsersQuery extends Query<UserPage> {
  constructor(
    readonly limit: number,
    /** A cursor from a previous page (opaque, see `shared/cursor.ts`). */
    readonly cursor?: string,
    readonly email?: string,
    /** Case-insensitive text searched in names and emails. */
    readonly search?: string,
  ) {
    super();
  }
}
