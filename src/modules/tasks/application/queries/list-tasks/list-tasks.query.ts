import { Query } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { Task, TaskActor, TaskStatus } from '../../../domain/task.js';

export interface TaskPage {
  tasks: Task[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * Tasks, newest first: the reader's own, or for an admin everyone's (or one owner's, with
 * `ownerId`). A user may name only themselves as `ownerId`.
 */
@RequiresHandler()
export class ListTasksQuery extends Query<TaskPage> {
  constructor(
    readonly reader: TaskActor,
    readonly limit: number,
    /** A cursor from a previous page (opaque, see `shared/cursor.ts`). */
    readonly cursor?: string,
    readonly status?: TaskStatus,
    readonly type?: string,
    readonly ownerId?: string,
  ) {
    super();
  }
}
