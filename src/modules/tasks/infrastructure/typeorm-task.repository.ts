import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { NewTask, Task, TaskFailure, TaskStatus } from '../domain/task.js';
import { type TaskListCriteria, TaskRepository } from '../domain/task.repository.js';

const COLUMNS = `id, type, payload, status, attempts, max_attempts AS "maxAttempts", progress, result, error,
  created_at AS "createdAt", updated_at AS "updatedAt", started_at AS "startedAt", finished_at AS "finishedAt",
  next_attempt_at AS "nextAttemptAt", cancel_requested_at AS "cancelRequestedAt", request_id AS "requestId", submitted_by AS "submittedBy",
  idempotency_key AS "idempotencyKey", request_hash AS "requestHash"`;

/**
 * PostgreSQL adapter, in plain SQL: each state change is one `UPDATE ... WHERE status IN
 * (...) RETURNING`, so it is atomic and tells the caller whether it won. Rows come back with
 * the aliases of the `Task` fields, so no mapper is needed.
 */
@Injectable()
export class TypeOrmTaskRepository extends TaskRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async findById(id: string): Promise<Task | null> {
    return this.one(`SELECT ${COLUMNS} FROM tasks WHERE id = $1`, [id]);
  }

  async insert(task: NewTask): Promise<{ task: Task; created: boolean }> {
    const inserted = await this.one(
      `INSERT INTO tasks (id, type, payload, max_attempts, next_attempt_at, request_id, idempotency_key, request_hash,
         submitted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        task.id,
        task.type,
        task.payload,
        task.maxAttempts,
        task.nextAttemptAt,
        task.requestId,
        task.idempotencyKey,
        task.requestHash,
        task.submittedBy ?? null,
      ],
    );
    if (inserted) return { task: inserted, created: true };
    const existing = await this.one(`SELECT ${COLUMNS} FROM tasks WHERE idempotency_key = $1`, [task.idempotencyKey]);
    return { task: existing!, created: false };
  }

  async list(criteria: TaskListCriteria): Promise<Task[]> {
    return this.many(
      `SELECT ${COLUMNS} FROM tasks
       WHERE ($1::varchar IS NULL OR status = $1) AND ($2::varchar IS NULL OR type = $2) AND ($3::uuid IS NULL OR id < $3)
       ORDER BY id DESC LIMIT $4`,
      [criteria.status ?? null, criteria.type ?? null, criteria.beforeId ?? null, criteria.limit],
    );
  }

  async start(id: string): Promise<Task | null> {
    return this.transition(id, ['queued', 'running'], {
      status: `'running'`,
      attempts: 'attempts + 1',
      started_at: 'COALESCE(started_at, now())',
      next_attempt_at: 'NULL',
    });
  }

  async reportProgress(id: string, progress: number): Promise<void> {
    await this.db.query(`UPDATE tasks SET progress = $2, updated_at = now() WHERE id = $1 AND status = 'running'`, [
      id,
      progress,
    ]);
  }

  async succeed(id: string, result: unknown): Promise<Task | null> {
    return this.transition(
      id,
      ['running'],
      { status: `'succeeded'`, progress: '100', result: '$2', error: 'NULL', finished_at: 'now()' },
      [JSON.stringify(result ?? null)],
    );
  }

  async retryLater(id: string, failure: TaskFailure, nextAttemptAt: Date): Promise<Task | null> {
    return this.transition(id, ['running'], { status: `'queued'`, error: '$2', next_attempt_at: '$3' }, [
      failure,
      nextAttemptAt,
    ]);
  }

  async fail(id: string, failure: TaskFailure, from: TaskStatus[] = ['running']): Promise<Task | null> {
    return this.transition(
      id,
      from,
      { status: `'failed'`, error: '$2', finished_at: 'now()', next_attempt_at: 'NULL' },
      [failure],
    );
  }

  async cancel(id: string, from: TaskStatus[]): Promise<Task | null> {
    return this.transition(id, from, { status: `'cancelled'`, finished_at: 'now()', next_attempt_at: 'NULL' });
  }

  async requestCancel(id: string): Promise<Task | null> {
    return this.transition(id, ['running'], { cancel_requested_at: 'COALESCE(cancel_requested_at, now())' });
  }

  async requeue(id: string, unchangedSince?: Date): Promise<Task | null> {
    return this.transition(
      id,
      ['running', 'queued'],
      { status: `'queued'`, next_attempt_at: 'NULL' },
      [unchangedSince ?? null],
      `($2::timestamptz IS NULL OR updated_at = $2)`,
    );
  }

  async cancelRequested(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM tasks WHERE id = ANY($1::uuid[]) AND status = 'running' AND cancel_requested_at IS NOT NULL`,
      [ids],
    );
    return rows.map((row) => row.id);
  }

  async findUnsettled(before: Date, limit: number): Promise<Task[]> {
    return this.many(
      `SELECT ${COLUMNS} FROM tasks
       WHERE status IN ('queued', 'running') AND updated_at < $1 AND (next_attempt_at IS NULL OR next_attempt_at < $1)
       ORDER BY updated_at LIMIT $2`,
      [before, limit],
    );
  }

  /**
   * `UPDATE tasks SET <changes>, updated_at = now() WHERE id = $1 AND status IN (<from>) [AND <condition>]`.
   * `changes` are SQL expressions written in this file (never input); values go in `params` ($2...).
   */
  private async transition(
    id: string,
    from: TaskStatus[],
    changes: Record<string, string>,
    params: unknown[] = [],
    condition = 'TRUE',
  ): Promise<Task | null> {
    const assignments = Object.entries(changes).map(([column, expression]) => `${column} = ${expression}`);
    const statuses = from.map((status) => `'${status}'`).join(', ');
    return this.one(
      `UPDATE tasks SET ${assignments.join(', ')}, updated_at = now()
       WHERE id = $1 AND status IN (${statuses}) AND ${condition}
       RETURNING ${COLUMNS}`,
      [id, ...params],
    );
  }

  private async one(sql: string, params: unknown[]): Promise<Task | null> {
    const rows = await this.many(sql, params);
    return rows[0] ?? null;
  }

  private async many(sql: string, params: unknown[]): Promise<Task[]> {
    const result: Task[] | [Task[], number] = await this.db.query(sql, params);
    // UPDATE ... RETURNING answers [rows, affected] through TypeORM's pg driver.
    return Array.isArray(result[0]) ? (result[0] as Task[]) : (result as Task[]);
  }
}
