import { setTimeout as sleep } from 'node:timers/promises';

/**
 * @typedef {object} FaultTarget What a fault acts on, for the scenario that is running.
 * @property {import('./stack.js').Cluster} cluster
 * @property {() => Promise<void>} stopRedis SIGTERM: with an append-only file Redis writes it first.
 * @property {() => Promise<void>} startRedis On the same port, with the same persistence.
 * @property {() => Promise<void>} killWorker SIGKILL.
 * @property {() => Promise<void>} startWorker
 * @property {import('./receiver.js').WebhookReceiver} receiver
 */

/**
 * @typedef {object} Fault
 * @property {string} name
 * @property {string} description
 * @property {'postgres' | 'redis'} [only] The queue backend it needs.
 * @property {boolean} [appendOnly] Redis keeps an append-only file (Redis backend).
 * @property {boolean} [lossByDesign] Queued jobs are lost: the reconciler must queue the tasks again.
 * @property {boolean} [burst] Whether a burst of tasks goes just before the fault (default true). Not for the
 *   receiver: the burst would keep the worker busy through the whole outage, and no delivery would meet it.
 * @property {(target: FaultTarget) => Promise<void>} begin
 * @property {(target: FaultTarget) => Promise<void>} end Resolves once the dependency is back.
 */

/** @type {Fault[]} */
export const FAULTS = [
  {
    name: 'postgres-fast',
    description: 'PostgreSQL stopped with pg_ctl -m fast (sessions terminated), started again',
    begin: (target) => target.cluster.shutDown('fast'),
    end: (target) => target.cluster.restart(),
  },
  {
    name: 'postgres-immediate',
    description: 'PostgreSQL stopped with pg_ctl -m immediate (no checkpoint: crash recovery at start), started again',
    begin: (target) => target.cluster.shutDown('immediate'),
    end: (target) => target.cluster.restart(),
  },
  {
    name: 'redis-aof',
    description: 'Redis with appendonly yes stopped (SIGTERM) and started again',
    only: 'redis',
    appendOnly: true,
    begin: (target) => target.stopRedis(),
    end: (target) => target.startRedis(),
  },
  {
    name: 'redis-volatile',
    description: 'Redis without persistence stopped (SIGTERM) and started again empty',
    only: 'redis',
    lossByDesign: true,
    begin: (target) => target.stopRedis(),
    end: (target) => target.startRedis(),
  },
  {
    name: 'worker-kill',
    description: 'the worker process killed with SIGKILL, a new one started',
    begin: (target) => target.killWorker(),
    end: (target) => target.startWorker(),
  },
  {
    name: 'receiver-down',
    description: 'the webhook receiver refuses connections, then listens again on the same port',
    burst: false,
    begin: (target) => target.receiver.stop(),
    end: (target) => target.receiver.resume(),
  },
];

/**
 * @typedef {object} Scenario
 * @property {string} name `<fault>@<backend>`
 * @property {Fault} fault
 * @property {'postgres' | 'redis'} backend
 */

/** @type {Scenario[]} */
export const SCENARIOS = FAULTS.flatMap((fault) =>
  /** @type {const} */ (['postgres', 'redis'])
    .filter((backend) => !fault.only || fault.only === backend)
    .map((backend) => ({ name: `${fault.name}@${backend}`, fault, backend })),
);

/** CI's short run: both backends, each kind of dependency once. */
const SHORT = ['postgres-immediate@postgres', 'redis-volatile@redis', 'worker-kill@redis', 'receiver-down@postgres'];

/**
 * A name selects one scenario (`worker-kill@redis`) or a fault on every backend (`worker-kill`).
 * @param {string[]} names
 * @param {boolean} short
 */
export function selectScenarios(names, short) {
  if (names.length === 0) return SCENARIOS.filter((scenario) => !short || SHORT.includes(scenario.name));
  return names.flatMap((name) => {
    const found = SCENARIOS.filter((scenario) => scenario.name === name || scenario.fault.name === name);
    if (found.length === 0) {
      throw new Error(`Unknown scenario "${name}" (known: ${SCENARIOS.map((scenario) => scenario.name).join(', ')})`);
    }
    return found;
  });
}

/**
 * Takes the dependency away for `downSeconds`; the times bracket the outage as the suite saw it.
 * @param {Fault} fault
 * @param {FaultTarget} target
 * @param {number} downSeconds
 */
export async function inject(fault, target, downSeconds) {
  const startedAt = Date.now();
  await fault.begin(target);
  const downAt = Date.now();
  await sleep(downSeconds * 1_000);
  await fault.end(target);
  return { startedAt, downAt, endedAt: Date.now() };
}
