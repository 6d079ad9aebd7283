import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TASK_STATUSES, type Task, type TaskStatus } from '../../domain/task.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export class TaskFailureResponse {
  @ApiProperty({ example: 'WEBHOOKS.HTTP_503' })
  code: string;

  @ApiProperty({ example: 'The target answered 503 Service Unavailable' })
  message: string;

  @ApiProperty({ example: 2, description: 'The attempt that failed' })
  attempt: number;
}

export class TaskResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'webhooks.deliver' })
  type: string;

  @ApiProperty({ enum: TASK_STATUSES })
  status: TaskStatus;

  @ApiProperty({ type: 'object', additionalProperties: true })
  payload: Record<string, unknown>;

  @ApiProperty({ description: 'Attempts started so far' })
  attempts: number;

  @ApiProperty()
  maxAttempts: number;

  @ApiProperty({ minimum: 0, maximum: 100 })
  progress: number;

  @ApiPropertyOptional({ description: 'What the task returned (status succeeded)', nullable: true })
  result: unknown;

  @ApiProperty({ type: TaskFailureResponse, nullable: true, description: 'Why the last attempt failed' })
  error: TaskFailureResponse | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the next attempt is due (a retry, or a delayed start)',
  })
  nextAttemptAt: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Set when a running task was asked to stop',
  })
  cancelRequestedAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'X-Request-Id of the request that created the task' })
  requestId: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "The user who submitted it; null for the application's own tasks (emails), which only admins see",
  })
  ownerId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Replays this task until it expires (per user)' })
  idempotencyKey: string | null;

  static from(task: Task): TaskResponse {
    return {
      id: task.id,
      type: task.type,
      status: task.status,
      payload: task.payload,
      attempts: task.attempts,
      maxAttempts: task.maxAttempts,
      progress: task.progress,
      result: task.result ?? null,
      error: task.error,
      createdAt: iso(task.createdAt)!,
      updatedAt: iso(task.updatedAt)!,
      startedAt: iso(task.startedAt),
      finishedAt: iso(task.finishedAt),
      nextAttemptAt: iso(task.nextAttemptAt),
      cancelRequestedAt: iso(task.cancelRequestedAt),
      requestId: task.requestId,
      ownerId: task.ownerId,
      idempotencyKey: task.idempotencyKey,
    };
  }
}

export class TaskPageResponse {
  @ApiProperty({ type: [TaskResponse] })
  items: TaskResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page',
  })
  nextCursor: string | null;
}
