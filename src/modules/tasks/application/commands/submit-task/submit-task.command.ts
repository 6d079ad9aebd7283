import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { Task } from '../../../domain/task.js';

export interface SubmitTaskResult {
  task: Task;
  /** false when an earlier submission with the same idempotency key is returned. */
  created: boolean;
}

/** Records a task and queues it. Throws `InvalidTaskError` for an unknown type or a bad payload. */
@RequiresHandler()
export class SubmitTaskCommand extends Command<SubmitTaskResult> {
  constructor(
    readonly input: {
      type: string;
      payload: unknown;
      /** Start no earlier than this many ms from now. */
      delayMs?: number;
      maxAttempts?: number;
      /** Same key and same input: the first task is returned; same key, other input: conflict. */
      idempotencyKey?: string;
      /** Defaults to the id of the request being handled, if any. */
      requestId?: string;
    },
  ) {
    super();
  }
}
