import type { DataSource } from 'typeorm';
import {
  type CircuitPermit,
  type CircuitSettings,
  type CircuitStateName,
  CircuitStore,
  type FailureOutcome,
  type StoredCircuit,
  refusal,
  stateOf,
} from './circuit-store.js';

interface CircuitRow {
  key: string;
  failures: number;
  opened_until_ms: string | null;
  trial_until_ms: string | null;
}

const num = (value: string | null): number | null => (value === null ? null : Number(value));

/** At most this many circuits are listed for readiness: enough to see that something is wrong. */
const LIST_LIMIT = 1000;

/**
 * Circuits in the `circuit_breakers` table (without Redis): every API and worker process of a
 * deployment shares them. Each step is one statement (the trial claim a conditional UPDATE),
 * so two processes cannot both become the half-open trial.
 */
export class PostgresCircuitStore extends CircuitStore {
  constructor(private readonly db: DataSource) {
    super();
  }

  async acquire(key: string, now: number, settings: CircuitSettings): Promise<CircuitPermit> {
    const circuit = await this.read(key);
    if (circuit?.openedUntil == null) return { kind: 'closed' };
    if (now < circuit.openedUntil) return refusal(circuit, now);
    const claimed = (await this.db.query(
      `UPDATE circuit_breakers SET trial_until_ms = $2::bigint + $3::bigint, updated_at = now()
        WHERE key = $1 AND opened_until_ms IS NOT NULL AND opened_until_ms <= $2::bigint
          AND (trial_until_ms IS NULL OR trial_until_ms <= $2::bigint)
        RETURNING key`,
      [key, now, settings.trialLeaseMs],
    )) as [unknown[], number];
    if (claimed[1] > 0) return { kind: 'trial' };
    // Another caller took the trial (or settled it) between the two statements: answer what is stored now.
    const current = await this.read(key);
    return current?.openedUntil == null ? { kind: 'closed' } : refusal(current, now);
  }

  private async read(key: string): Promise<StoredCircuit | undefined> {
    const rows = (await this.db.query(
      `SELECT failures, opened_until_ms, trial_until_ms FROM circuit_breakers WHERE key = $1`,
      [key],
    )) as CircuitRow[];
    const row = rows[0];
    return (
      row && { failures: row.failures, openedUntil: num(row.opened_until_ms), trialUntil: num(row.trial_until_ms) }
    );
  }

  async recordSuccess(key: string, trial: boolean): Promise<void> {
    await this.db.query(
      trial
        ? `DELETE FROM circuit_breakers WHERE key = $1`
        : `DELETE FROM circuit_breakers WHERE key = $1 AND opened_until_ms IS NULL`,
      [key],
    );
  }

  async recordFailure(key: string, trial: boolean, now: number, settings: CircuitSettings): Promise<FailureOutcome> {
    const openUntil = now + settings.cooldownMs;
    const rows = (await this.db.query(
      `INSERT INTO circuit_breakers AS c (key, failures, opened_until_ms, trial_until_ms, updated_at)
       VALUES ($1, 1, CASE WHEN $3::boolean OR 1 >= $4::int THEN $2::bigint END, NULL, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = c.failures + 1,
         opened_until_ms = CASE
           WHEN $3::boolean OR (c.opened_until_ms IS NULL AND c.failures + 1 >= $4::int) THEN $2::bigint
           ELSE c.opened_until_ms END,
         trial_until_ms = CASE WHEN $3::boolean THEN NULL ELSE c.trial_until_ms END,
         updated_at = now()
       RETURNING failures, opened_until_ms`,
      [key, openUntil, trial, settings.threshold],
    )) as Pick<CircuitRow, 'failures' | 'opened_until_ms'>[];
    const row = rows[0];
    return { opened: num(row.opened_until_ms) === openUntil, failures: row.failures };
  }

  async releaseTrial(key: string): Promise<void> {
    await this.db.query(`UPDATE circuit_breakers SET trial_until_ms = NULL WHERE key = $1`, [key]);
  }

  async openCircuits(now: number): Promise<Record<string, CircuitStateName>> {
    const rows = (await this.db.query(
      `SELECT key, failures, opened_until_ms, trial_until_ms FROM circuit_breakers
        WHERE opened_until_ms IS NOT NULL ORDER BY key LIMIT ${LIST_LIMIT}`,
    )) as CircuitRow[];
    return Object.fromEntries(
      rows.map((row) => [
        row.key,
        stateOf(
          { failures: row.failures, openedUntil: num(row.opened_until_ms), trialUntil: num(row.trial_until_ms) },
          now,
        ),
      ]),
    );
  }
}
