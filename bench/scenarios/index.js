import healthLive from './health-live.js';
import hostileBody from './hostile-body.js';
import soak from './soak.js';
import { tasksPostgres, tasksRedis } from './tasks.js';
import usersGet from './users-get.js';
import usersRegister from './users-register.js';

/**
 * @typedef {object} HttpRequest What autocannon sends; it must survive JSON (it is handed to the load process).
 * @property {string} method
 * @property {string} path The request the harness checks on both sides before loading them.
 * @property {string[]} [paths] Under load, each request takes the next of these paths, round and
 *   round (one counter shared by every connection), instead of `path`: reads spread over many
 *   rows rather than one hot row. Give both sides the same list.
 * @property {Record<string, string>} [headers]
 * @property {string} [body] May contain `UNIQUE` (lib/unique.js), replaced in every request sent,
 *   the check included, by a token no other request of the run carries.
 */

/**
 * @typedef {object} ScenarioContext
 * @property {string} databaseUrl The benchmark's own PostgreSQL, shared by the app and the baseline.
 */

/**
 * @typedef {object} PreparedRequests
 * @property {HttpRequest} [app]
 * @property {HttpRequest} [baseline]
 */

/**
 * @typedef {object} Scenario An HTTP scenario: requests per second under autocannon.
 * @property {'http'} [kind]
 * @property {string} name kebab-case; used by `--scenario` and in result file names.
 * @property {string} title One line for the report.
 * @property {number} targetRatio The app should reach at least this share of the baseline's req/s.
 * @property {HttpRequest} app Request sent to the Nest app.
 * @property {HttpRequest} [baselineRequest] Request sent to the baseline; defaults to the app's.
 * @property {(fastify: import('fastify').FastifyInstance, context: ScenarioContext) => void | Promise<void>} baseline
 *   Registers the equivalent route on a bare Fastify instance. Runs in the baseline server process,
 *   so it must not rely on anything the orchestrator set up in memory; release resources in an
 *   `onClose` hook.
 * @property {(context: ScenarioContext & { appUrl: string, baselineUrl: string }) => Promise<PreparedRequests | void>} [prepare]
 *   Runs in the orchestrator once both servers answer, before the warm-up: seed data here and,
 *   if the requests depend on it (an id, say), return them.
 * @property {(body: unknown) => unknown} [comparable] What of a response body must be equal on both
 *   sides in the check before loading; by default all of it. For answers that differ by nature
 *   (a new id, an email made unique per request), map those fields to their shape.
 * @property {number} [maxP99Ms] A second target: the app's p99 latency (median of the rounds) below this.
 */

/**
 * @typedef {object} TasksScenario Background tasks per second, end to end (lib/tasks.js runs it).
 * @property {'tasks'} kind
 * @property {string} name
 * @property {string} title
 * @property {number} targetRatio The app should reach at least this share of the baseline's tasks/s.
 * @property {'postgres' | 'redis'} backend BullMQ's backend, on both sides.
 * @property {{ type: string, payload: object }} task What the app is sent with POST /v1/tasks.
 * @property {(context: TasksBaselineContext) => Promise<TasksBaseline>} baseline
 *   Builds the plain BullMQ queue and worker, in the baseline process (tasks-baseline.js).
 */

/**
 * @typedef {object} TasksBaselineContext
 * @property {string} databaseUrl
 * @property {string} [redisUrl] Set when the scenario's backend is Redis.
 * @property {number} concurrency The worker's concurrency, the app's TASK_CONCURRENCY.
 */

/**
 * @typedef {object} TasksBaseline
 * @property {import('bullmq').Worker} worker Its `completed` and `failed` events are counted.
 * @property {() => Promise<unknown>} add Adds one job.
 * @property {() => Promise<void>} close
 */

/**
 * @typedef {object} CustomScenario A measurement of its own shape: it starts what it needs with the
 *   run's helpers and reports itself (the harness prints `terminal` and adds `markdown` to latest.md).
 * @property {'custom'} kind
 * @property {string} name
 * @property {string} title
 * @property {(run: CustomRun) => Promise<CustomResult>} run
 */

/**
 * @typedef {object} CustomRun
 * @property {import('../lib/options.js').BenchOptions} options
 * @property {import('../lib/machine.js').MachineFacts} machine
 * @property {import('../lib/machine.js').Pinning} pinning
 * @property {string} databaseUrl
 * @property {string} keptLog Where to copy an app log that matters.
 * @property {import('../lib/processes.js').ProcessGroup} processes
 * @property {string} runDir Scratch directory of the run.
 * @property {(message: string) => void} progress
 * @property {number} startupTimeoutMs
 */

/**
 * @typedef {object} CustomResult
 * @property {'custom'} kind
 * @property {{ name: string, title: string }} scenario
 * @property {import('../lib/machine.js').MachineFacts & { loadAverageAtEnd?: number[] }} machine
 * @property {import('../lib/machine.js').Pinning} pinning
 * @property {string} terminal
 * @property {string[]} markdown
 * @property {string[]} warnings
 */

/** @typedef {Scenario | TasksScenario | CustomScenario} AnyScenario */

/**
 * Every scenario, in the order a full run executes them.
 * @type {AnyScenario[]}
 */
export const scenarios = [healthLive, usersGet, usersRegister, tasksPostgres, tasksRedis, hostileBody];

/**
 * Scenarios run only when named (`--scenario soak`): they take minutes, not seconds.
 * @type {AnyScenario[]}
 */
export const onDemand = [soak];

/** @param {string} name */
export function findScenario(name) {
  const known = [...scenarios, ...onDemand];
  const scenario = known.find((candidate) => candidate.name === name);
  if (!scenario) {
    throw new Error(`Unknown scenario "${name}" (known: ${known.map((each) => each.name).join(', ')})`);
  }
  return scenario;
}
