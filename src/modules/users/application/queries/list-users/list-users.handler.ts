import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { decodeCursor, keysetPage } from '../../../../../shared/cursor.js';
import { InvalidUserError } from '../../../domain/user.errors.js';
import { normaliseEmail } from '../../../domain/user.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { ListUsersQuery, type UserPage } from './list-users.query.js';

/**
 * Keyset pagination in id order: a page asks for one user more than it returns, and that
 * extra row tells whether a next page exists. Stable under inserts and deletes, unlike
 * offsets.
 */
@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(private readonly users: UserRepository) {}

  async execute(query: ListUsersQuery): Promise<UserPage> {
    const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && afterId === undefined) throw new InvalidUserError('The cursor is not valid');
    const rows = await this.users.list({
      limit: query.limit + 1,
      afterId,
      email: query.email === undefined ? undefined : normaliseEmail(query.email),
      search: query.search,
    });
    const { items, nextCursor } = keysetPage(rows, query.limit);
    return { users: items, ...(nextCursor && { nextCursor }) };
  }
}
