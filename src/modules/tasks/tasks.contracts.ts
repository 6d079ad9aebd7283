/**
 * What other modules may use of the tasks module: declare a task type, and submit a task.
 * Anything else under `modules/tasks/` is private to this module.
 *
 * A task type is a provider in any module:
 *
 *   @TaskHandler({ type: 'webhooks.deliver', submitters: 'users', outbound: true, payload: DeliverWebhookPayload })
 *   export class DeliverWebhookTask implements TaskRunner<DeliverWebhookPayload, DeliveryResult> {
 *     async run(payload, context) { ... }
 *   }
 *
 * BullMQ delivers at least once: `run` must be safe to call twice for one task.
 */
import type { LoggerService, Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { BackoffPolicy } from '../../infrastructure/resilience/backoff.js';
import type { FieldProblems } from '../../shared/field-problems.js';

/**
 * Who may submit a task type through the API: any signed-in user, admins only, or nobody
 * (`internal`: only the application's own code, through `SubmitTaskCommand` without a
 * `submitter`). A caller who may not submit a type is answered as if it did not exist.
 * Tasks submitted through the API belong to their submitter (only they and admins see
 * them); the application's own have no owner (admins only).
 */
export type TaskSubmitters = 'users' | 'admins' | 'internal';

export interface TaskHandlerOptions {
  /** `<module>.<verb-noun>`, unique across the application (startup fails on a duplicate). */
  type: string;
  /** Who may submit it through the API; every type says (deny by default). */
  submitters: TaskSubmitters;
  /** Sends something out of the system (a webhook, a mail to an address the caller chose): verified accounts only. */
  outbound?: boolean;
  /** class-validator DTO the payload must satisfy; also documents it in OpenAPI. */
  payload: Type<object>;
  /**
   * Attempts when the submitter does not say (default TASK_MAX_ATTEMPTS), and the most a
   * submitter may ask for (default 10).
   */
  maxAttempts?: number;
  /** Overrides of RETRY_BASE_DELAY_MS / RETRY_MAX_DELAY_MS for this type. */
  backoff?: Partial<BackoffPolicy>;
  /** One line for the API documentation. */
  description?: string;
}

/** Marks a provider as the runner of one task type; the tasks module discovers it at startup. */
export const TaskHandler = DiscoveryService.createDecorator<TaskHandlerOptions>();

export interface TaskContext {
  taskId: string;
  /** The user the task belongs to (who submitted it through the API); null for the application's own tasks. */
  ownerId: string | null;
  /** `X-Request-Id` of the request that created the task, if any. */
  requestId: string | null;
  /** 1-based number of this attempt. */
  attempt: number;
  maxAttempts: number;
  /** Fires when the task is cancelled or the worker shuts down: stop, and let the error propagate. */
  signal: AbortSignal;
  /** Every line carries `taskId`, `taskType`, `attempt`, `requestId` and the submitting `userId`. */
  logger: LoggerService;
  /** Records progress (0-100, rounded), readable through `GET /v1/tasks/:id`. */
  reportProgress(percent: number): Promise<void>;
}

export interface TaskRunner<Payload extends object = object, Result = unknown> {
  /**
   * Resolves with the task's result (stored as JSON); throws to fail the attempt.
   *
   * What the task's owner reads of a failure (`error` in `GET /v1/tasks/:id`): the `code` and
   * `message` of a `PermanentError` or `TransientError`, which are public by contract, so
   * write them for the owner and keep internal details out (no resolved addresses, host
   * names, ports, driver or socket messages). Any other error is shown only as
   * `TASKS.HANDLER_FAILED` with a fixed message; its whole text goes to the log, with the
   * task id.
   */
  run(payload: Payload, context: TaskContext): Promise<Result>;
  /**
   * Optional check at submission of what the payload's DTO cannot know, such as whether an
   * object the payload names belongs to the submitter (`ownerId`, null for internal
   * submissions). Answers the problems, each naming its field (`payload.endpointId`), or none;
   * the submitter then gets a 400 and no task is stored.
   */
  admit?(payload: Payload, submitter: { ownerId: string | null }): Promise<FieldProblems[]>;
}

export { SubmitTaskCommand, type SubmitTaskResult } from './application/commands/submit-task/submit-task.command.js';
export { PermanentError, TransientError } from '../../infrastructure/resilience/resilience.errors.js';
