import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { Task, TaskActor } from '../../../domain/task.js';

export interface SubmitTaskResult {
  task: Task;
  /** false when an earlier submission with the same idempotency key is returned. */
  created: boolean;
}

/**
 * Records a task and queues it. Throws `InvalidTaskError` for an unknown type, a type the
 * submitter may not submit, a bad payload or too many attempts, and
 * `TaskEmailNotVerifiedError` for an `outbound` type submitted from an unverified account.
 */
@RequiresHandler()
export class SubmitTaskCommand extends Command<SubmitTaskResult> {
  constructor(
    readonly input: {
      type: string;
      payload: unknown;
      /** Start no earlier than this many ms from now. */
      delayMs?: number;
      maxAttempts?: number;
      /**
       * Same key (of the same owner, within TASK_IDEMPOTENCY_TTL_S) and same input: the first
       * task is returned; same key, other input: conflict.
       */
      idempotencyKey?: string;
      /** Defaults to the id of the request being handled, if any. */
      requestId?: string;
      /**
       * The API caller submitting the task, who becomes its owner and must be allowed to
       * submit the type. Absent for the application's own submissions (another module's
       * listener): any type, no owner, only admins see the task.
       */
      submitter?: TaskActor;
    },
  ) {
    super();
  }
}
