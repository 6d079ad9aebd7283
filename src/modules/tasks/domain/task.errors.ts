import { DomainError } from '../../../shared/domain-error.js';
import type { FieldProblems } from '../../../shared/field-problems.js';

/** The type is unknown or the payload does not fit it; `problems` names each field. */
export class InvalidTaskError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'TASKS.INVALID';

  constructor(readonly problems: FieldProblems[]) {
    super(problems.map((problem) => `${problem.field}: ${problem.messages.join('; ')}`).join('. '));
  }
}

export class TaskNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'TASKS.NOT_FOUND';

  constructor(readonly taskId: string) {
    super(`Task ${taskId} does not exist`);
  }
}

export class TaskAlreadyFinishedError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'TASKS.ALREADY_FINISHED';

  constructor(
    readonly taskId: string,
    readonly status: string,
  ) {
    super(`Task ${taskId} already ${status}: there is nothing to cancel`);
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'TASKS.IDEMPOTENCY_KEY_REUSED';

  constructor(readonly taskId: string) {
    super(`This Idempotency-Key was used for task ${taskId} with a different body`);
  }
}

/** Types that send something out of the system (`outbound`) are for accounts whose email is verified. */
export class TaskEmailNotVerifiedError extends DomainError {
  readonly kind = 'forbidden';
  readonly code = 'TASKS.EMAIL_NOT_VERIFIED';

  constructor(readonly type: string) {
    super(
      `Task type ${type} sends requests or messages out of this service: verify your email address first (POST /v1/auth/email-verification)`,
    );
  }
}
