/** What a circuit lets a caller do right now. */
export type CircuitPermit =
  | { kind: 'closed' }
  /** The cool-down is over and this caller holds the one trial call; its outcome decides. */
  | { kind: 'trial' }
  /**
   * Fail fast: open, or half-open with another caller's trial in flight. `retryInMs`: when
   * asking again makes sense (the rest of the cool-down; for a trial in flight, a short while).
   */
  | { kind: 'open'; retryInMs: number };

export type CircuitStateName = 'closed' | 'open' | 'half-open';

export interface CircuitSettings {
  /** Consecutive failures that open a closed circuit. */
  threshold: number;
  /** How long an open circuit refuses calls before it lets one trial through. */
  cooldownMs: number;
  /** How long a trial may hold the half-open circuit before another caller may try (a trial whose process died). */
  trialLeaseMs: number;
}

/** What a recorded failure did: `opened` when this failure opened (or re-opened) the circuit. */
export interface FailureOutcome {
  opened: boolean;
  failures: number;
}

/**
 * Where circuit breakers keep their state, so that every process of a deployment sees the
 * same circuits (a target failing for one worker is failing for all of them). Each method is
 * one atomic step, safe against other processes doing the same at the same moment.
 *
 * A circuit with no failures is not stored at all: the store holds only circuits that are
 * counting failures or are open, so many one-off targets cost nothing.
 */
export abstract class CircuitStore {
  /** Closed: go. Open and cooling down, or half-open with a trial in flight: fail fast. Cooled down: become the trial. */
  abstract acquire(key: string, now: number, settings: CircuitSettings): Promise<CircuitPermit>;

  /** A call succeeded: a trial closes the circuit; any success resets the failure count of a closed one. */
  abstract recordSuccess(key: string, trial: boolean): Promise<void>;

  /** A call failed: a trial re-opens the circuit for another cool-down; otherwise counts towards the threshold. */
  abstract recordFailure(key: string, trial: boolean, now: number, settings: CircuitSettings): Promise<FailureOutcome>;

  /** A trial ended without a verdict (the caller gave up): let the next caller try. */
  abstract releaseTrial(key: string): Promise<void>;

  /** Every circuit that is not closed. */
  abstract openCircuits(now: number): Promise<Record<string, CircuitStateName>>;
}

/** One stored circuit, as every store keeps it. */
export interface StoredCircuit {
  failures: number;
  /** Epoch ms; null while closed. */
  openedUntil: number | null;
  /** Epoch ms until which a trial call holds the half-open circuit; null when none is in flight. */
  trialUntil: number | null;
}

/**
 * How long a caller refused while another caller's trial is in flight waits before asking
 * again: the trial usually settles within one call's time, and its lease (time limit + 5 s)
 * would make everyone wait for the slowest case.
 */
export const TRIAL_RECHECK_MS = 1000;

/** The `open` permit of a stored circuit that refused a caller at `now`. */
export function refusal(circuit: Pick<StoredCircuit, 'openedUntil' | 'trialUntil'>, now: number): CircuitPermit {
  if (circuit.openedUntil !== null && now < circuit.openedUntil)
    return { kind: 'open', retryInMs: circuit.openedUntil - now };
  const trialLeft = circuit.trialUntil === null ? TRIAL_RECHECK_MS : circuit.trialUntil - now;
  return { kind: 'open', retryInMs: Math.max(1, Math.min(TRIAL_RECHECK_MS, trialLeft)) };
}

export function stateOf(circuit: StoredCircuit | undefined, now: number): CircuitStateName {
  if (!circuit || circuit.openedUntil === null) return 'closed';
  if (now < circuit.openedUntil) return 'open';
  return circuit.trialUntil !== null && now < circuit.trialUntil ? 'half-open' : 'open';
}
