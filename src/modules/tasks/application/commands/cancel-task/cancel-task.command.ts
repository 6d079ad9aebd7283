import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { Task, TaskActor } from '../../../domain/task.js';

/**
 * Cancels a task: a queued (or delayed, or waiting-to-retry) task becomes `cancelled` and
 * never runs; a running task gets its AbortSignal fired and stays `running` (with
 * `cancelRequestedAt`) until its handler stops. A cancelled task is returned as it is;
 * a succeeded or failed one is a conflict. Another owner's task is "not found".
 */
@RequiresHandler()
export class CancelTaskCommand extends Command<Task> {
  constructor(
    readonly taskId: string,
    readonly canceller: TaskActor,
  ) {
    super();
  }
}
