import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { decodeCursor, keysetPage } from '../../../../../shared/cursor.js';
import { InvalidTaskError } from '../../../domain/task.errors.js';
import { TaskRepository } from '../../../domain/task.repository.js';
import { ListTasksQuery, type TaskPage } from './list-tasks.query.js';

/** Keyset pagination on the id (UUID v7, so creation order), newest first; one extra row tells whether a next page exists. */
@QueryHandler(ListTasksQuery)
export class ListTasksHandler implements IQueryHandler<ListTasksQuery> {
  constructor(private readonly tasks: TaskRepository) {}

  async execute(query: ListTasksQuery): Promise<TaskPage> {
    const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && beforeId === undefined) {
      throw new InvalidTaskError([
        { field: 'cursor', messages: ['cursor must be a nextCursor returned by a previous page'] },
      ]);
    }
    const { reader } = query;
    if (reader.role !== 'admin' && query.ownerId !== undefined && query.ownerId !== reader.userId) {
      throw new InvalidTaskError([
        { field: 'ownerId', messages: ["ownerId may only name yourself: only admins list other users' tasks"] },
      ]);
    }
    const ownerId = reader.role === 'admin' ? query.ownerId : reader.userId;
    const rows = await this.tasks.list({
      limit: query.limit + 1,
      beforeId,
      status: query.status,
      type: query.type,
      ownerId,
    });
    const { items, nextCursor } = keysetPage(rows, query.limit);
    return { tasks: items, ...(nextCursor && { nextCursor }) };
  }
}
