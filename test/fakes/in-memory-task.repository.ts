import { type Clock, SystemClock } from '../../src/shared/clock.js';
import type { NewTask, Task, TaskFailure, TaskStatus } from '../../src/modules/tasks/domain/task.js';
import { type TaskListCriteria, TaskRepository } from '../../src/modules/tasks/domain/task.repository.js';

const json = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
const date = (value: Date | null): Date | null => (value === null ? null : new Date(value));

/** A copy sharing nothing with the stored row (structuredClone would make Dates of another realm under jest). */
function copy(task: Task): Task {
  return {
    ...task,
    payload: json(task.payload),
    result: json(task.result),
    error: json(task.error),
    createdAt: new Date(task.createdAt),
    updatedAt: new Date(task.updatedAt),
    startedAt: date(task.startedAt),
    finishedAt: date(task.finishedAt),
    nextAttemptAt: date(task.nextAttemptAt),
    cancelRequestedAt: date(task.cancelRequestedAt),
    idempotencyExpiresAt: date(task.idempotencyExpiresAt),
  };
}

/**
 * The task port in a `Map`, with the compare-and-set rules of `TypeOrmTaskRepository`: each
 * transition accepts the same statuses and sets the same fields, `progress` must be an
 * integer 0-100 (the table's smallint and CHECK), JSON columns are stored as copies, and
 * the idempotency key is unique per owner (null being one more owner) until it expires, while
 * any number of tasks may have none; an owner has at most the limit of tasks running when
 * started through `startWithinOwnerLimit`. Time (PostgreSQL's
 * `now()`) comes from `clock`, so tests can move it.
 */
export class InMemoryTaskRepository extends TaskRepository {
  private readonly rows = new Map<string, Task>();

  constructor(private readonly clock: Clock = new SystemClock()) {
    super();
  }

  /** Puts a row in any state, for arranging a test; fields not given take an insert's defaults. */
  seed(task: Partial<Task> & Pick<Task, 'id' | 'type'>): Task {
    const at = this.clock.now();
    const row: Task = {
      payload: {},
      status: 'queued',
      attempts: 0,
      maxAttempts: 3,
      progress: 0,
      result: null,
      error: null,
      createdAt: at,
      updatedAt: at,
      startedAt: null,
      finishedAt: null,
      nextAttemptAt: null,
      cancelRequestedAt: null,
      requestId: null,
      ownerId: null,
      idempotencyKey: null,
      idempotencyExpiresAt: null,
      requestHash: null,
      ...task,
    };
    this.rows.set(row.id, copy(row));
    return copy(row);
  }

  /** Changes a stored row behind the application's back (another process, a test). */
  patch(id: string, changes: Partial<Task>): Task {
    const row = this.rows.get(id);
    if (!row) throw new Error(`No task ${id} to patch`);
    const changed = copy({ ...row, ...changes });
    this.rows.set(id, changed);
    return copy(changed);
  }

  all(): Task[] {
    return [...this.rows.values()].map((row) => copy(row));
  }

  async findById(id: string): Promise<Task | null> {
    const row = this.rows.get(id);
    return row ? copy(row) : null;
  }

  async insert(task: NewTask): Promise<{ task: Task; created: boolean }> {
    const ownerId = task.ownerId ?? null;
    if (task.idempotencyKey !== null) {
      const now = this.clock.now();
      const existing = [...this.rows.values()].find(
        (row) => row.ownerId === ownerId && row.idempotencyKey === task.idempotencyKey,
      );
      if (existing?.idempotencyExpiresAt && existing.idempotencyExpiresAt <= now) {
        existing.idempotencyKey = null;
        existing.idempotencyExpiresAt = null;
      } else if (existing) return { task: copy(existing), created: false };
    }
    if (this.rows.has(task.id)) throw new Error(`duplicate key value violates unique constraint: id ${task.id}`);
    return {
      task: this.seed({
        ...task,
        ownerId,
        idempotencyExpiresAt: task.idempotencyKey === null ? null : (task.idempotencyExpiresAt ?? null),
        payload: json(task.payload),
      }),
      created: true,
    };
  }

  async list(criteria: TaskListCriteria): Promise<Task[]> {
    return [...this.rows.values()]
      .filter((row) => criteria.ownerId === undefined || row.ownerId === criteria.ownerId)
      .filter((row) => criteria.status === undefined || row.status === criteria.status)
      .filter((row) => criteria.type === undefined || row.type === criteria.type)
      .filter((row) => criteria.beforeId === undefined || row.id < criteria.beforeId)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, criteria.limit)
      .map((row) => copy(row));
  }

  async start(id: string): Promise<Task | null> {
    return this.transition(id, ['queued', 'running'], (row, now) => {
      row.status = 'running';
      row.attempts += 1;
      row.startedAt ??= now;
      row.nextAttemptAt = null;
    });
  }

  async startWithinOwnerLimit(id: string, maxRunningPerOwner: number): Promise<Task | null | 'owner-busy'> {
    const row = this.rows.get(id);
    if (!row || !['queued', 'running'].includes(row.status)) return null;
    const running = [...this.rows.values()].filter(
      (other) => other.id !== id && other.status === 'running' && other.ownerId === row.ownerId,
    );
    if (row.ownerId !== null && running.length >= maxRunningPerOwner) return 'owner-busy';
    return this.start(id);
  }

  async reportProgress(id: string, progress: number): Promise<void> {
    if (!Number.isInteger(progress)) throw new Error(`invalid input syntax for type smallint: "${progress}"`);
    if (progress < 0 || progress > 100) throw new Error('new row violates check constraint "tasks_progress_check"');
    await this.transition(id, ['running'], (row) => {
      row.progress = progress;
    });
  }

  async succeed(id: string, result: unknown): Promise<Task | null> {
    return this.transition(id, ['running'], (row, now) => {
      row.status = 'succeeded';
      row.progress = 100;
      row.result = json(result ?? null);
      row.error = null;
      row.finishedAt = now;
    });
  }

  async retryLater(id: string, failure: TaskFailure, nextAttemptAt: Date): Promise<Task | null> {
    return this.transition(id, ['running'], (row) => {
      row.status = 'queued';
      row.error = json(failure);
      row.nextAttemptAt = new Date(nextAttemptAt);
    });
  }

  async fail(id: string, failure: TaskFailure, from: TaskStatus[] = ['running']): Promise<Task | null> {
    return this.transition(id, from, (row, now) => {
      row.status = 'failed';
      row.error = json(failure);
      row.finishedAt = now;
      row.nextAttemptAt = null;
    });
  }

  async cancel(id: string, from: TaskStatus[]): Promise<Task | null> {
    return this.transition(id, from, (row, now) => {
      row.status = 'cancelled';
      row.finishedAt = now;
      row.nextAttemptAt = null;
    });
  }

  async requestCancel(id: string): Promise<Task | null> {
    return this.transition(id, ['running'], (row, now) => {
      row.cancelRequestedAt ??= now;
    });
  }

  async requeue(id: string, unchangedSince?: Date): Promise<Task | null> {
    const row = this.rows.get(id);
    if (unchangedSince && row && row.updatedAt.getTime() !== unchangedSince.getTime()) return null;
    return this.transition(id, ['running', 'queued'], (changed) => {
      changed.status = 'queued';
      changed.nextAttemptAt = null;
    });
  }

  async release(id: string, nextAttemptAt: Date | null): Promise<Task | null> {
    return this.transition(id, ['running'], (row) => {
      row.status = 'queued';
      row.attempts = Math.max(0, row.attempts - 1);
      row.nextAttemptAt = nextAttemptAt === null ? null : new Date(nextAttemptAt);
    });
  }

  async cancelRequested(ids: string[]): Promise<string[]> {
    return ids.filter((id) => {
      const row = this.rows.get(id);
      return row?.status === 'running' && row.cancelRequestedAt !== null;
    });
  }

  async findUnsettled(before: Date, limit: number): Promise<Task[]> {
    return [...this.rows.values()]
      .filter((row) => row.status === 'queued' || row.status === 'running')
      .filter((row) => row.updatedAt < before && (row.nextAttemptAt === null || row.nextAttemptAt < before))
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
      .slice(0, limit)
      .map((row) => copy(row));
  }

  /** `UPDATE ... SET ..., updated_at = now() WHERE id = $1 AND status IN (from) RETURNING *`. */
  private transition(id: string, from: TaskStatus[], change: (row: Task, now: Date) => void): Task | null {
    const row = this.rows.get(id);
    if (!row || !from.includes(row.status)) return null;
    const now = this.clock.now();
    change(row, now);
    row.updatedAt = now;
    return copy(row);
  }
}
