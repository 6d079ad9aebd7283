import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TaskFailure, TaskStatus } from '../domain/task.js';

/** Unique per owner: `(COALESCE(owner_id, <zero uuid>), idempotency_key)`, keys only (see the TaskOwnership migration). */
export const TASKS_IDEMPOTENCY_KEY_UNIQUE = 'tasks_owner_idempotency_key_key';

/**
 * The `tasks` table. Persistence only; the adapter writes it with compare-and-set SQL.
 * Timestamps have millisecond precision, like the JS `Date` they are read into, so a value
 * read back compares equal (the reconciler's compare-and-set on `updated_at` relies on it).
 * The partial indexes serve the list filters (newest first) and the reconciler's scan of
 * unsettled tasks without growing with finished ones.
 */
@Entity({ name: 'tasks' })
@Check('tasks_status_check', `"status" IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')`)
@Check('tasks_progress_check', `"progress" BETWEEN 0 AND 100`)
@Index('tasks_status_id_idx', ['status', 'id'])
@Index('tasks_type_id_idx', ['type', 'id'])
@Index('tasks_unsettled_idx', ['updatedAt'], { where: `"status" IN ('queued', 'running')` })
@Index('tasks_owner_id_id_idx', ['ownerId', 'id'])
@Index('tasks_owner_running_idx', ['ownerId'], { where: `"status" = 'running'` })
// The retention sweep's scans (RetentionIndexes migration).
@Index('tasks_finished_at_idx', ['finishedAt'], { where: `"status" IN ('succeeded', 'failed', 'cancelled')` })
@Index('tasks_idempotency_expires_at_idx', ['idempotencyExpiresAt'], { where: `"idempotency_key" IS NOT NULL` })
export class TaskOrmEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: TaskStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer' })
  maxAttempts: number;

  @Column({ type: 'smallint', default: 0 })
  progress: number;

  @Column({ type: 'jsonb', nullable: true })
  result: unknown;

  @Column({ type: 'jsonb', nullable: true })
  error: TaskFailure | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  cancelRequestedAt: Date | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  /** The user who submitted the task through the API; NULL for the application's own tasks (admins only). */
  @Column({ type: 'uuid', nullable: true })
  ownerId: string | null;

  // Unique per owner through an expression index TypeORM cannot describe: the migration makes it, the schema diff leaves it alone.
  @Index(TASKS_IDEMPOTENCY_KEY_UNIQUE, { synchronize: false })
  @Column({ type: 'varchar', length: 255, nullable: true })
  idempotencyKey: string | null;

  /** After this, the key no longer replays the task: a new submission with it makes a new task. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  idempotencyExpiresAt: Date | null;

  @Column({ type: 'char', length: 64, nullable: true })
  requestHash: string | null;
}
