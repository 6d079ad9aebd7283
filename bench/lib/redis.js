import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './processes.js';

/**
 * @typedef {object} BenchRedis
 * @property {string} url
 * @property {import('./processes.js').Managed} managed
 */

/** Why Redis cannot run here, or undefined when `redis-server` is on the PATH. */
export function redisUnavailable() {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 5_000 });
    return undefined;
  } catch {
    return 'redis-server is not on the PATH (Debian: apt-get install redis-server)';
  }
}

/**
 * A throw-away Redis on a free port, without persistence (nothing to clean up but the process),
 * with the eviction policy BullMQ requires. It inherits the harness's CPU affinity, like
 * PostgreSQL (server CPUs): taskset in front would hide its command line from the guardian.
 * The fault suite restarts one on the same `port`, with an append-only file (`appendOnly`) or not.
 * @param {import('./processes.js').ProcessGroup} processes
 * @param {{ dir: string, env: NodeJS.ProcessEnv, port?: number, appendOnly?: boolean }} options
 *   `dir` receives its log (and its append-only file).
 * @returns {Promise<BenchRedis>}
 */
export async function startRedis(processes, { dir, env, port: wanted, appendOnly = false }) {
  const port = wanted ?? (await freePort());
  const managed = processes.start(
    'redis',
    [
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        appendOnly ? 'yes' : 'no',
        '--maxmemory-policy',
        'noeviction',
      ],
    ],
    { env, cwd: dir, logFile: join(dir, 'redis.log') },
  );
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (managed.hasExited) throw new Error(`redis-server exited at start (see ${join(dir, 'redis.log')})`);
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on port ${port} within 10 s`);
    await sleep(50);
  }
  return { url: `redis://127.0.0.1:${port}`, managed };
}

/** @param {number} port */
function answersPing(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (/** @type {boolean} */ ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
