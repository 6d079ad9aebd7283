import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../../bench/lib/app.js';

/**
 * @typedef {object} FaultOptions
 * @property {boolean} short
 * @property {string[]} only Scenario names to run (empty: the mode's list).
 * @property {number} loadSeconds Length of the load.
 * @property {number} faultAtSeconds When the fault starts, from the start of the load.
 * @property {number} downSeconds How long the dependency stays away.
 * @property {number} recoverySeconds How long after the load everything may take to settle.
 * @property {number} taskRate Task submissions per second.
 * @property {number} webhookShare Share of them that are webhook deliveries.
 * @property {number} signupRate Registrations per second.
 * @property {Record<string, string>} appEnv Extra settings for every app process.
 * @property {string} dist The build to run.
 * @property {boolean} markdown Print the table as Markdown too.
 * @property {boolean} help
 */

export const USAGE = `Usage: npm run faults -- [options]

  --short              CI length: shorter load, four scenarios (both backends)   env FAULTS_SHORT=1
  --scenario NAME      run only this scenario (repeatable)                        env FAULTS_SCENARIOS=a,b
  --load SECONDS       length of the load (default 60, short 24)
  --fault-at SECONDS   when the fault starts (default 20, short 8)
  --down SECONDS       how long the dependency stays away (default 5)
  --recovery SECONDS   bound on the wait for everything to settle after the load (default 180, short 90)
  --rate N             task submissions per second (default 30)
  --signups N          registrations per second (default 2)
  --app-env KEY=VALUE  extra app setting, repeatable
  --markdown           also print the table as Markdown
  --help

The build is dist/ (FAULTS_DIST=DIR runs another, compiled from the same sources).
`;

/**
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @returns {FaultOptions}
 */
export function parseOptions(argv, env) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      short: { type: 'boolean' },
      scenario: { type: 'string', multiple: true },
      load: { type: 'string' },
      'fault-at': { type: 'string' },
      down: { type: 'string' },
      recovery: { type: 'string' },
      rate: { type: 'string' },
      signups: { type: 'string' },
      'app-env': { type: 'string', multiple: true },
      markdown: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const short = values.short ?? ['1', 'true'].includes(env.FAULTS_SHORT ?? '');
  const options = {
    short,
    only: values.scenario ?? (env.FAULTS_SCENARIOS ? env.FAULTS_SCENARIOS.split(',').filter(Boolean) : []),
    loadSeconds: number('load', values.load, short ? 24 : 60),
    faultAtSeconds: number('fault-at', values['fault-at'], short ? 8 : 20),
    downSeconds: number('down', values.down, 5),
    recoverySeconds: number('recovery', values.recovery, short ? 90 : 180),
    taskRate: number('rate', values.rate, 30),
    webhookShare: 0.2,
    signupRate: number('signups', values.signups, 2),
    appEnv: Object.fromEntries(
      (values['app-env'] ?? []).map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`--app-env takes KEY=VALUE (got ${pair})`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    ),
    dist: resolve(ROOT, env.FAULTS_DIST ?? 'dist'),
    markdown: values.markdown ?? false,
    help: values.help ?? false,
  };
  if (options.faultAtSeconds < 3)
    throw new Error('--fault-at must be 3 or more (a burst of tasks goes 2 s before the fault)');
  if (options.faultAtSeconds + options.downSeconds >= options.loadSeconds) {
    throw new Error('the fault must end before the load does (--fault-at + --down < --load)');
  }
  return options;
}

/**
 * @param {string} name
 * @param {string | undefined} value
 * @param {number} fallback
 */
function number(name, value, fallback) {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number (got ${value})`);
  return parsed;
}
