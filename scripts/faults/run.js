/**
 * `npm run faults`: the built app under steady load while its dependencies fail, one fault per
 * scenario, on both queue backends; counts what was lost, stuck, repeated or answered wrongly.
 * Exits 1 when a scenario misses a target. See docs/operations.md, "Fault suite".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../bench/lib/app.js';
import { Harness } from '../../bench/lib/harness.js';
import { loadAverage, machineFacts } from '../../bench/lib/machine.js';
import { redisUnavailable } from '../../bench/lib/redis.js';
import { parseOptions, USAGE } from './options.js';
import { markdownTable, notes, terminalTable } from './report.js';
import { runScenario } from './scenario-run.js';
import { selectScenarios } from './scenarios.js';
import { Cluster } from './stack.js';

const harness = new Harness('faults');
const { guardian, processes, progress } = harness;

/** @param {string} text */
const print = (text) => process.stdout.write(`${text}\n`);

/** @returns {Promise<number>} 0 when every target was met, 1 otherwise. */
async function main() {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options.help) {
    print(USAGE);
    return 0;
  }
  if (!existsSync(join(options.dist, 'main.js')))
    throw new Error(`${options.dist}/main.js is missing: run npm run build`);
  const unavailable = redisUnavailable();
  if (unavailable) throw new Error(`the fault suite needs Redis for its Redis-backend scenarios: ${unavailable}`);
  const scenarios = selectScenarios(options.only, options.short);

  const machine = machineFacts();
  print(
    `Node ${machine.node} | ${machine.cpuModel} | ${machine.cores} cores | load average ${machine.loadAverageAtStart.join(' / ')}`,
  );
  print(
    `${options.short ? 'Short run' : 'Full run'}: ${options.loadSeconds} s of load (${options.taskRate} tasks/s, ` +
      `${Math.round(options.webhookShare * 100)} % webhooks, ${options.signupRate} registrations/s), fault at ` +
      `${options.faultAtSeconds} s for ${options.downSeconds} s, settle within ${options.recoverySeconds} s`,
  );

  const runDir = harness.scratchDir('nest-faults-run-');
  progress('starting PostgreSQL (throw-away cluster, default settings)');
  const cluster = harness.own(
    await Cluster.start(options.dist, guardian, (message) => progress(`postgres: ${message}`)),
  );
  const keepDir = join(ROOT, 'bench', 'results', `faults-${new Date().toISOString().replace(/[:.]/g, '-')}`);

  const results = [];
  for (const [index, scenario] of scenarios.entries()) {
    const result = await runScenario({ options, cluster, processes, runDir, keepDir, progress }, scenario, index);
    progress(`${scenario.name}: ${result.misses.length === 0 ? 'ok' : `MISSED (${result.misses.join('; ')})`}`);
    results.push(result);
  }

  print('');
  print(terminalTable(results));
  print('');
  print(notes(results));
  if (options.markdown) print(`\n${markdownTable(results)}`);
  print(`\nLoad average at end: ${loadAverage().join(' / ')}`);
  const missed = results.filter((result) => result.misses.length > 0);
  if (missed.length > 0) print(`Logs of the scenarios that missed a target: ${keepDir}`);
  print(missed.length === 0 ? 'All targets met.' : `${missed.length} of ${results.length} scenarios missed a target.`);
  return missed.length === 0 ? 0 : 1;
}

// 2: the suite itself failed (a process did not start, the database did not answer), so nothing was measured.
harness.run(main, 2);
