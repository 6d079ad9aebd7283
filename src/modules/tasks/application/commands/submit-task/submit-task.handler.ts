import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PinoLogger } from 'nestjs-pino';
import { Clock } from '../../../../../shared/clock.js';
import { newId } from '../../../../../shared/ids.js';
import { IdempotencyKeyReusedError, InvalidTaskError } from '../../../domain/task.errors.js';
import { TaskRepository } from '../../../domain/task.repository.js';
import { TaskQueue } from '../../task-queue.js';
import { TaskTypeRegistry } from '../../task-type.registry.js';
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
 * Validates the payload against its type, stores the task, then queues its id. The row is
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
  ) {}

  async execute({ input }: SubmitTaskCommand): Promise<SubmitTaskResult> {
    const parsed = await this.types.parse(input.type, input.payload);
    if ('problems' in parsed) throw new InvalidTaskError(parsed.problems);
    const maxAttempts = input.maxAttempts ?? this.types.get(input.type)!.maxAttempts;
    const requestHash = input.idempotencyKey
      ? createHash('sha256')
          .update(canonicalJson([input.type, parsed.payload, input.delayMs ?? 0, input.maxAttempts ?? null]))
          .digest('hex')
      : null;

    const requestBindings = this.pino.logger.bindings();
    const { task, created } = await this.tasks.insert({
      id: newId(),
      type: input.type,
      payload: parsed.payload,
      maxAttempts,
      nextAttemptAt: input.delayMs ? new Date(this.clock.now().getTime() + input.delayMs) : null,
      requestId: input.requestId ?? (requestBindings.requestId as string | undefined) ?? null,
      // The authentication guard binds the caller's id to the request's logger; the worker binds it back.
      submittedBy: (requestBindings.userId as string | undefined) ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
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
}
