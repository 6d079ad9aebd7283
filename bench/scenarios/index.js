import healthLive from './health-live.js';

/**
 * @typedef {object} HttpRequest What autocannon sends; it must survive JSON (it is handed to the load process).
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
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
 * @typedef {object} Scenario
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
 */

/**
 * Every scenario, in the order a full run executes them.
 * @type {Scenario[]}
 */
export const scenarios = [healthLive];

/** @param {string} name */
export function findScenario(name) {
  const scenario = scenarios.find((candidate) => candidate.name === name);
  if (!scenario) {
    throw new Error(`Unknown scenario "${name}" (known: ${scenarios.map((known) => known.name).join(', ')})`);
  }
  return scenario;
}
