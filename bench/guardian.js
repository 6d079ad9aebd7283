/**
 * Cleans up after the harness if it dies without cleaning up itself (SIGKILL, out of memory):
 * the app and PostgreSQL do not notice their parent is gone, so something must stop them.
 * The harness writes one JSON message per line on our stdin (see lib/guardian.js); when stdin
 * ends without a `release`, we stop every PID still registered and remove the scratch
 * directories. Only PIDs the harness registered, and only while their command line still
 * matches (a PID can be reused by an unrelated process once its owner has exited).
 */
import { readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { postmasterPid } from './lib/postgres.js';

/** @type {Map<number, string>} PID -> text its command line must contain */
const processes = new Map();
/** @type {Set<string>} */
const postgresDirs = new Set();
/** @type {Set<string>} */
const scratchDirs = new Set();
let released = false;

// A Ctrl-C reaches the whole process group; the harness handles it, and we stay to back it up.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);

for await (const line of createInterface({ input: process.stdin })) {
  /** @type {import('./lib/guardian.js').GuardianMessage} */
  const message = JSON.parse(line);
  if ('watch' in message) processes.set(message.watch, message.match);
  else if ('forget' in message) processes.delete(message.forget);
  else if ('postgres' in message) postgresDirs.add(message.postgres);
  else if ('forgetPostgres' in message) postgresDirs.delete(message.forgetPostgres);
  else if ('scratch' in message) scratchDirs.add(message.scratch);
  else if ('release' in message) released = true;
}

if (!released) {
  /** @type {number[]} */
  const signalled = [];
  for (const [pid, match] of processes) {
    if (commandLine(pid).includes(match) && signal(pid, 'SIGKILL')) signalled.push(pid);
  }
  for (const dir of postgresDirs) {
    const pid = postmasterPid(dir);
    // SIGINT is PostgreSQL's fast shutdown: it stops its own children too.
    if (pid !== undefined && commandLine(pid).includes(dir) && signal(pid, 'SIGINT')) signalled.push(pid);
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && signalled.some((pid) => commandLine(pid) !== '')) await sleep(100);
  for (const dir of [...postgresDirs, ...scratchDirs]) rmSync(dir, { recursive: true, force: true });
  if (signalled.length > 0)
    console.error(`[bench guardian] the harness died: stopped ${signalled.length} of its processes`);
}
process.exit(0);

/** @param {number} pid */
function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * @param {number} pid
 * @param {NodeJS.Signals} name
 */
function signal(pid, name) {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}
