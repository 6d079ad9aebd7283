import pg from 'pg';

/** An `outbox_events` row as the tests read it. */
export interface OutboxRow {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  request_id: string | null;
  attempts: number;
  last_error: string | null;
  relayed_at: Date | null;
}

/** A task row, as far as these tests care. */
export interface TaskRow {
  type: string;
  idempotency_key: string | null;
  request_id: string | null;
}

export const WELCOME = 'users.send-welcome-email';
export const VERIFICATION = 'auth.send-email-verification';

/** Reads the outbox and the tasks straight from PostgreSQL (not through the app) on one connection. */
export class OutboxDb {
  private constructor(private readonly client: pg.Client) {}

  static async connect(databaseUrl: string): Promise<OutboxDb> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return new OutboxDb(client);
  }

  close(): Promise<void> {
    return this.client.end();
  }

  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(sql, params)).rows;
  }

  eventsOfUser(userId: string): Promise<OutboxRow[]> {
    return this.query<OutboxRow>(
      `SELECT id, name, payload, request_id, attempts, last_error, relayed_at FROM outbox_events
       WHERE payload->>'userId' = $1 ORDER BY id`,
      [userId],
    );
  }

  async event(id: string): Promise<OutboxRow | undefined> {
    const [row] = await this.query<OutboxRow>(
      `SELECT id, name, payload, request_id, attempts, last_error, relayed_at FROM outbox_events WHERE id = $1`,
      [id],
    );
    return row;
  }

  tasksOfUser(userId: string): Promise<TaskRow[]> {
    return this.query<TaskRow>(
      `SELECT type, idempotency_key, request_id FROM tasks WHERE payload->>'userId' = $1 ORDER BY type, id`,
      [userId],
    );
  }

  /**
   * A user and its `users.registered` event, committed together as the registration does, with
   * no process told to relay it: what a process killed right after its commit leaves behind.
   */
  async insertUnrelayedRegistration(user: { id: string; eventId: string; email: string; name: string }) {
    await this.client.query('BEGIN');
    await this.client.query(
      `INSERT INTO users (id, email, name, role, created_at, updated_at, version) VALUES ($1, $2, $3, 'user', now(), now(), 1)`,
      [user.id, user.email, user.name],
    );
    await this.client.query(`INSERT INTO outbox_events (id, name, payload) VALUES ($1, 'users.registered', $2)`, [
      user.eventId,
      {
        eventId: user.eventId,
        userId: user.id,
        email: user.email,
        name: user.name,
        registeredAt: new Date().toISOString(),
      },
    ]);
    await this.client.query('COMMIT');
  }
}
