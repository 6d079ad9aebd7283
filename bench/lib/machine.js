import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * @typedef {object} Pinning
 * @property {boolean} enabled
 * @property {string} [serverCpus] taskset list for the app, the baseline, PostgreSQL and the orchestrator.
 * @property {string} [loadCpus] taskset list for the load generator.
 * @property {string} description What was done, or why not, in one line for the report.
 */

/**
 * @typedef {object} MachineFacts
 * @property {string} node
 * @property {string} platform
 * @property {string} cpuModel
 * @property {number} cores Cores this process may run on (os.availableParallelism()).
 * @property {number[]} allowedCpus
 * @property {number} memoryGb
 * @property {number[]} loadAverageAtStart
 * @property {string} [commit]
 */

/** @returns {MachineFacts} */
export function machineFacts() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    allowedCpus: allowedCpus() ?? cpus.map((_, index) => index),
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverageAtStart: loadAverage(),
    commit: gitCommit(),
  };
}

/** The 1, 5 and 15 minute load averages, to two decimals. */
export function loadAverage() {
  return os.loadavg().map((value) => Math.round(value * 100) / 100);
}

/**
 * With two or more cores, the load generator gets the last allowed CPU and everything else the
 * rest: a load generator sharing a core with the server under test steals the very CPU time
 * being measured, and does so unevenly between the two targets.
 * @param {MachineFacts} machine
 * @param {boolean} wanted
 * @returns {Pinning}
 */
export function planPinning(machine, wanted) {
  if (!wanted) return unpinned('--no-pin');
  if (os.platform() !== 'linux') return unpinned(`taskset is Linux-only, this is ${os.platform()}`);
  if (!hasTaskset()) return unpinned('taskset not found; install util-linux');
  const cpus = machine.allowedCpus;
  if (cpus.length < 2) return unpinned(`only ${cpus.length} CPU available`);
  const serverCpus = cpus.slice(0, -1).join(',');
  const loadCpus = String(cpus.at(-1));
  return {
    enabled: true,
    serverCpus,
    loadCpus,
    description: `taskset: app, baseline, PostgreSQL and Redis on CPU ${serverCpus}; load generator on CPU ${loadCpus}`,
  };
}

/**
 * Restricts this process (all its threads), and so everything it starts later without its own
 * taskset (PostgreSQL, via pg_ctl), to the server CPUs.
 * @param {Pinning} pinning
 */
export function pinSelf(pinning) {
  if (!pinning.enabled || !pinning.serverCpus) return;
  execFileSync('taskset', ['-a', '-p', '-c', pinning.serverCpus, String(process.pid)], { stdio: 'ignore' });
}

/**
 * @param {Pinning} pinning
 * @param {'server' | 'load'} role
 * @param {string} command
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
export function pinnedCommand(pinning, role, command, args) {
  const cpus = role === 'server' ? pinning.serverCpus : pinning.loadCpus;
  if (!pinning.enabled || !cpus) return [command, args];
  return ['taskset', ['-c', cpus, command, ...args]];
}

/**
 * @param {string} why
 * @returns {Pinning}
 */
function unpinned(why) {
  return {
    enabled: false,
    description: `not pinned (${why}): the load generator competes with the servers for CPU, so absolute req/s are understated`,
  };
}

function hasTaskset() {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** The CPU ids this process may use, which in a container need not start at 0. */
function allowedCpus() {
  try {
    const out = execFileSync('taskset', ['-p', '-c', String(process.pid)], { encoding: 'utf8', timeout: 5_000 });
    const list = out.split(':').at(-1)?.trim() ?? '';
    const cpus = list.split(',').flatMap((part) => {
      const [from, to = from] = part.split('-').map(Number);
      return Array.from({ length: to - from + 1 }, (_, index) => from + index);
    });
    return cpus.length > 0 && cpus.every(Number.isInteger) ? cpus : undefined;
  } catch {
    return undefined;
  }
}

function gitCommit() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', timeout: 5_000 }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      timeout: 5_000,
    }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return undefined;
  }
}
