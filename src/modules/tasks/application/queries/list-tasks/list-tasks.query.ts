import { Query } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { Task, TaskStatus } from '../../../domain/task.js';

export interface TaskPage {
  tasks: Task[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** Tasks, newest first. */
@RequiresHandler()
export class ListTasksQuery extends Query<TaskPage> {
  constructor(
    readonly limit: number,
    /** A cursor from a previous page (opaque, see `shared/cursor.ts`). */
    readonly cursor?: string,
    readonly status?: TaskStatus,
    readonly type?: string,
  ) {
    super();
  }
}
