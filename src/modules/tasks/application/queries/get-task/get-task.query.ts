import { Query } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { Task, TaskActor } from '../../../domain/task.js';

/** One task, as `reader` may see it: another owner's task is "not found", like a missing one. */
@RequiresHandler()
export class GetTaskQuery extends Query<Task> {
  constructor(
    readonly taskId: string,
    readonly reader: TaskActor,
  ) {
    super();
  }
}
