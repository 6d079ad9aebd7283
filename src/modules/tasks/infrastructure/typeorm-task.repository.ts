import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { NewTask, Task, TaskFailure, TaskStatus } from '../domain/task.js';
import { type TaskListCriteria, TaskRepository } from '../domain/task.repository.js';

const COLUMNS = `id, type, payload, status, attempts, max_attempts AS "maxAttempts", progress, result, error,
  created_at AS "createdAt", updated_at AS "updatedAt", started_at AS "startedAt", finished_at AS "finishedAt",
  next_attempt_at AS "nextAttemptAt", cancel_requested_at AS "cancelRequestedAt", request_id AS "requestId", owner_id AS "ownerId",
  idempotency_key AS "idempotencyKey", idempotency_expires_at AS "idempotencyExpiresAt", request_hash AS "requestHash"`;

/** The owner in the idempotency key's unique index: ownerless tasks share the zero uuid. */
const KEY_OWNER = `COALESCE(owner_id, '00000000-0000-0000-0000-000000000000'::uuid)`;

/** Two-key advisory locks: this first key keeps the per-owner locks apart from any other lock. */
const OWNER_LOCK_SPACE = `hashtext('tasks.owner')`;

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
    const ownerId = task.ownerId ?? null;
    if (task.idempotencyKey !== null) {
      // An expired key frees its slot in the unique index; the old task keeps everything else.
      await this.db.query(
        `UPDATE tasks SET idempotency_key = NULL, idempotency_expires_at = NULL
         WHERE ${KEY_OWNER} = COALESCE($1::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
           AND idempotency_key = $2 AND idempotency_expires_at <= now()`,
        [ownerId, task.idempotencyKey],
      );
    }
    const inserted = await this.one(
      `INSERT INTO tasks (id, type, payload, max_attempts, next_attempt_at, request_id, idempotency_key, request_hash,
         owner_id, idempotency_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT ((${KEY_OWNER}), idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
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
        ownerId,
        task.idempotencyKey === null ? null : (task.idempotencyExpiresAt ?? null),
      ],
    );
    if (inserted) return { task: inserted, created: true };
    const existing = await this.one(
      `SELECT ${COLUMNS} FROM tasks
       WHERE ${KEY_OWNER} = COALESCE($1::uuid, '00000000-0000-0000-0000-000000000000'::uuid) AND idempotency_key = $2`,
      [ownerId, task.idempotencyKey],
    );
    return { task: existing!, created: false };
  }

  async list(criteria: TaskListCriteria): Promise<Task[]> {
    return this.many(
      `SELECT ${COLUMNS} FROM tasks
       WHERE ($1::varchar IS NULL OR status = $1) AND ($2::varchar IS NULL OR type = $2) AND ($3::uuid IS NULL OR id < $3)
         AND ($5::uuid IS NULL OR owner_id = $5)
       ORDER BY id DESC LIMIT $4`,
      [
        criteria.status ?? null,
        criteria.type ?? null,
        criteria.beforeId ?? null,
        criteria.limit,
        criteria.ownerId ?? null,
      ],
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

  /**
   * One transaction: lock the owner (an advisory lock, released at commit), then count their
   * running tasks in a statement that starts after the lock was granted, so it sees every
   * start committed by whoever held the lock before. Ownerless tasks take no lock.
   */
  async startWithinOwnerLimit(id: string, maxRunningPerOwner: number): Promise<Task | null | 'owner-busy'> {
    return this.db.transaction(async (manager) => {
      await manager.query(
        `SELECT pg_advisory_xact_lock(${OWNER_LOCK_SPACE}, hashtext(owner_id::text)) FROM tasks
         WHERE id = $1 AND owner_id IS NOT NULL`,
        [id],
      );
      const result: Task[] | [Task[], number] = await manager.query(
        `UPDATE tasks SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now()),
           next_attempt_at = NULL, updated_at = now()
         WHERE id = $1 AND status IN ('queued', 'running')
           AND (owner_id IS NULL OR (SELECT count(*) FROM tasks AS other
                WHERE other.owner_id = tasks.owner_id AND other.status = 'running' AND other.id <> tasks.id) < $2)
         RETURNING ${COLUMNS}`,
        [id, maxRunningPerOwner],
      );
      const started = rowsOf(result)[0];
      if (started) return started;
      const rows: { status: TaskStatus }[] = await manager.query(`SELECT status FROM tasks WHERE id = $1`, [id]);
      const status = rows[0]?.status;
      return status === 'queued' || status === 'running' ? 'owner-busy' : null;
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

  async release(id: string, nextAttemptAt: Date | null): Promise<Task | null> {
    return this.transition(
      id,
      ['running'],
      { status: `'queued'`, attempts: 'GREATEST(attempts - 1, 0)', next_attempt_at: '$2' },
      [nextAttemptAt],
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
    return rowsOf(await this.db.query(sql, params));
  }
}

/** UPDATE ... RETURNING answers [rows, affected] through TypeORM's pg driver, SELECT the rows. */
function rowsOf(result: Task[] | [Task[], number]): Task[] {
  return Array.isArray(result[0]) ? (result[0] as Task[]) : (result as Task[]);
}
