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

/**
 * Circuits of this process only: for unit tests and for code built without the application
 * (`new ResilienceService(config)`). The application uses PostgreSQL or Redis.
 */
export class MemoryCircuitStore extends CircuitStore {
  private readonly circuits = new Map<string, StoredCircuit>();

  acquire(key: string, now: number, settings: CircuitSettings): Promise<CircuitPermit> {
    return Promise.resolve(this.acquireNow(key, now, settings));
  }

  recordSuccess(key: string, trial: boolean): Promise<void> {
    const circuit = this.circuits.get(key);
    if (circuit && (trial || circuit.openedUntil === null)) this.circuits.delete(key);
    return Promise.resolve();
  }

  recordFailure(key: string, trial: boolean, now: number, settings: CircuitSettings): Promise<FailureOutcome> {
    const circuit = this.circuits.get(key) ?? { failures: 0, openedUntil: null, trialUntil: null };
    circuit.failures += 1;
    let opened = false;
    if (trial || (circuit.openedUntil === null && circuit.failures >= settings.threshold)) {
      circuit.openedUntil = now + settings.cooldownMs;
      circuit.trialUntil = null;
      opened = true;
    }
    this.circuits.set(key, circuit);
    return Promise.resolve({ opened, failures: circuit.failures });
  }

  releaseTrial(key: string): Promise<void> {
    const circuit = this.circuits.get(key);
    if (circuit) circuit.trialUntil = null;
    return Promise.resolve();
  }

  openCircuits(now: number): Promise<Record<string, CircuitStateName>> {
    const open: Record<string, CircuitStateName> = {};
    for (const [key, circuit] of this.circuits) {
      const state = stateOf(circuit, now);
      if (state !== 'closed') open[key] = state;
    }
    return Promise.resolve(open);
  }

  /** Synchronous read, for `ResilienceService.circuitState`. */
  stateNow(key: string, now: number): CircuitStateName {
    return stateOf(this.circuits.get(key), now);
  }

  private acquireNow(key: string, now: number, settings: CircuitSettings): CircuitPermit {
    const circuit = this.circuits.get(key);
    if (!circuit || circuit.openedUntil === null) return { kind: 'closed' };
    if (now < circuit.openedUntil) return refusal(circuit, now);
    if (circuit.trialUntil !== null && now < circuit.trialUntil) return refusal(circuit, now);
    circuit.trialUntil = now + settings.trialLeaseMs;
    return { kind: 'trial' };
  }
}
