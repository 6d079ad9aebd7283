import { parseArgs } from 'node:util';
import { scenarios } from '../scenarios/index.js';

/**
 * @typedef {object} BenchOptions
 * @property {string[]} scenarios
 * @property {number} duration Seconds per measured round.
 * @property {number} rounds Measured rounds per target.
 * @property {number} warmup Seconds of unmeasured load per target before the first round.
 * @property {number} connections
 * @property {number} pipelining
 * @property {boolean} pin Whether to pin the load generator away from the servers.
 * @property {number | undefined} tasks Tasks per measured round of a tasks scenario (M); sized
 *   from the warm-up when not given.
 * @property {number} producers Tasks scenarios: concurrent submitters (K).
 * @property {number} taskConcurrency Tasks scenarios: jobs one worker runs at once (N), on both sides.
 * @property {Record<string, string>} appEnv Extra variables for the app (REDIS_URL, for example).
 * @property {boolean} help
 */

export const USAGE = `Usage: npm run bench -- [options]

  --scenario NAME     run only this scenario (repeatable; default: all: ${scenarios.map((s) => s.name).join(', ')})
  --duration SECONDS  length of each measured round (default 5)        env BENCH_DURATION
  --rounds N          measured rounds per target (default 3)          env BENCH_ROUNDS
  --warmup SECONDS    unmeasured load per target first (default 3)    env BENCH_WARMUP
  --connections N     concurrent connections (default 50)              env BENCH_CONNECTIONS
  --pipelining N      requests in flight per connection (default 1)    env BENCH_PIPELINING
  --no-pin            do not pin processes to cores with taskset       env BENCH_PIN=0
  --tasks M           tasks per round, tasks-* scenarios (default:      env BENCH_TASKS
                      sized from the warm-up, see bench/README.md)
  --producers K       concurrent submitters, tasks-* (default 10)      env BENCH_PRODUCERS
  --task-concurrency N  worker concurrency, tasks-* (default 10)       env BENCH_TASK_CONCURRENCY
  --app-env KEY=VALUE extra environment for the app (repeatable), e.g. REDIS_URL=redis://...
  --help
`;

/**
 * Flags win over BENCH_* variables, which win over the defaults.
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @returns {BenchOptions}
 */
export function parseOptions(argv, env) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      scenario: { type: 'string', multiple: true },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      pipelining: { type: 'string' },
      pin: { type: 'boolean' },
      'no-pin': { type: 'boolean' },
      tasks: { type: 'string' },
      producers: { type: 'string' },
      'task-concurrency': { type: 'string' },
      'app-env': { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });

  const names = values.scenario ?? env.BENCH_SCENARIOS?.split(',').filter(Boolean) ?? scenarios.map((s) => s.name);
  const appEnv = Object.fromEntries(
    (values['app-env'] ?? []).map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--app-env expects KEY=VALUE, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );

  return {
    scenarios: names,
    duration: number('duration', values.duration ?? env.BENCH_DURATION ?? '5', 1),
    rounds: number('rounds', values.rounds ?? env.BENCH_ROUNDS ?? '3', 1),
    warmup: number('warmup', values.warmup ?? env.BENCH_WARMUP ?? '3', 0),
    connections: number('connections', values.connections ?? env.BENCH_CONNECTIONS ?? '50', 1),
    pipelining: number('pipelining', values.pipelining ?? env.BENCH_PIPELINING ?? '1', 1),
    pin: values['no-pin'] ? false : (values.pin ?? env.BENCH_PIN !== '0'),
    tasks: optionalNumber('tasks', values.tasks ?? env.BENCH_TASKS, 1),
    producers: number('producers', values.producers ?? env.BENCH_PRODUCERS ?? '10', 1),
    taskConcurrency: number('task-concurrency', values['task-concurrency'] ?? env.BENCH_TASK_CONCURRENCY ?? '10', 1),
    appEnv,
    help: values.help ?? false,
  };
}

/**
 * @param {string} name
 * @param {string} raw
 * @param {number} min
 */
function number(name, raw, min) {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`--${name} must be a whole number >= ${min}, got "${raw}"`);
  }
  return value;
}

/**
 * @param {string} name
 * @param {string | undefined} raw
 * @param {number} min
 */
function optionalNumber(name, raw, min) {
  return raw === undefined || raw === '' ? undefined : number(name, raw, min);
}
