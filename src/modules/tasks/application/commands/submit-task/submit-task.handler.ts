import { createHash } from 'node:crypto';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { PinoLogger } from 'nestjs-pino';
import { type TasksConfig, tasksConfig } from '../../../../../infrastructure/config/tasks.config.js';
import { Clock } from '../../../../../shared/clock.js';
import { newId } from '../../../../../shared/ids.js';
import { GetUserQuery } from '../../../../users/users.contracts.js';
import type { TaskActor } from '../../../domain/task.js';
import { IdempotencyKeyReusedError, InvalidTaskError, TaskEmailNotVerifiedError } from '../../../domain/task.errors.js';
import { TaskRepository } from '../../../domain/task.repository.js';
import { TaskQueue } from '../../task-queue.js';
import { type TaskType, TaskTypeRegistry, maySubmit } from '../../task-type.registry.js';
import { SubmitTaskCommand, type SubmitTaskResult } from './submit-task.command.js';

/** JSON with object keys sorted, so two bodies that differ only in key order hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Checks the submission (the type is one the submitter may submit, the payload fits it, the
 * attempts stay under the type's ceiling, an outbound type comes from a verified account,
 * and the type's own `admit` agrees), stores the task, then queues its id. The row is
 * written first: if queueing fails (or the process dies in between) the task is still
 * recorded as `queued`, and the reconciler queues it later, so the client's 202 holds.
 */
@CommandHandler(SubmitTaskCommand)
export class SubmitTaskHandler implements ICommandHandler<SubmitTaskCommand> {
  private readonly logger = new Logger('Tasks');

  constructor(
    private readonly types: TaskTypeRegistry,
    private readonly tasks: TaskRepository,
    private readonly queue: TaskQueue,
    private readonly clock: Clock,
    private readonly pino: PinoLogger,
    private readonly queries: QueryBus,
    @Inject(tasksConfig.KEY) private readonly config: TasksConfig,
  ) {}

  async execute({ input }: SubmitTaskCommand): Promise<SubmitTaskResult> {
    const { submitter } = input;
    // Before the payload: an unverified account learns it may not use the type at all, whatever it sends.
    const requested = this.types.get(input.type);
    if (requested?.outbound && submitter && maySubmit(requested, submitter))
      await this.requireVerified(submitter, requested);
    const parsed = await this.types.parse(input.type, input.payload, submitter);
    if ('problems' in parsed) throw new InvalidTaskError(parsed.problems);
    const type = this.types.get(input.type)!;
    await this.admit(type, parsed.payload, input.maxAttempts, submitter);

    const maxAttempts = input.maxAttempts ?? type.maxAttempts;
    const requestHash = input.idempotencyKey
      ? createHash('sha256')
          .update(canonicalJson([input.type, parsed.payload, input.delayMs ?? 0, input.maxAttempts ?? null]))
          .digest('hex')
      : null;
    const now = this.clock.now().getTime();
    const { task, created } = await this.tasks.insert({
      id: newId(),
      type: input.type,
      payload: parsed.payload,
      maxAttempts,
      nextAttemptAt: input.delayMs ? new Date(now + input.delayMs) : null,
      requestId: input.requestId ?? (this.pino.logger.bindings().requestId as string | undefined) ?? null,
      ownerId: submitter?.userId ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      idempotencyExpiresAt: input.idempotencyKey ? new Date(now + this.config.idempotencyTtlS * 1000) : null,
      requestHash,
    });
    if (!created) {
      if (task.requestHash !== requestHash) throw new IdempotencyKeyReusedError(task.id);
      return { task, created };
    }

    try {
      await this.queue.enqueue({ id: task.id, type: task.type, maxAttempts, delayMs: input.delayMs });
    } catch (error) {
      this.logger.warn({ err: error, taskId: task.id }, 'Task stored but not queued; the reconciler will queue it');
    }
    return { task, created };
  }

  private async requireVerified(submitter: TaskActor, type: TaskType): Promise<void> {
    const user = await this.queries.execute(new GetUserQuery(submitter.userId));
    if (!user.emailVerifiedAt) throw new TaskEmailNotVerifiedError(type.type);
  }

  private async admit(
    type: TaskType,
    payload: Record<string, unknown>,
    maxAttempts: number | undefined,
    submitter: TaskActor | undefined,
  ): Promise<void> {
    if (maxAttempts !== undefined && maxAttempts > type.attemptsCeiling) {
      throw new InvalidTaskError([
        {
          field: 'maxAttempts',
          messages: [`maxAttempts must not be greater than ${type.attemptsCeiling} for ${type.type}`],
        },
      ]);
    }
    if (type.runner.admit) {
      const problems = await type.runner.admit(this.types.hydrate(type, payload), {
        ownerId: submitter?.userId ?? null,
      });
      if (problems.length > 0) throw new InvalidTaskError(problems);
    }
  }
}
