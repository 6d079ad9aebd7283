import { pinnedCommand } from './machine.js';

/**
 * Runs one job of a helper script (one JSON line in on stdin, one JSON line out on stdout) on
 * the load CPU, and returns its answer. The helper exits when its stdin closes, so it never
 * outlives the harness; past `limitMs` it is stopped and the job fails.
 * @param {{ processes: import('./processes.js').ProcessGroup, pinning: import('./machine.js').Pinning }} run
 * @param {string} script
 * @param {string} label
 * @param {object} job
 * @param {number} limitMs
 * @returns {Promise<any>}
 */
export async function runHelper(run, script, label, job, limitMs) {
  const worker = run.processes.start(label, pinnedCommand(run.pinning, 'load', process.execPath, [script]), {
    env: process.env,
    captureStdout: true,
  });
  worker.child.stdin?.write(`${JSON.stringify(job)}\n`);
  /** @type {Buffer[]} */
  const chunks = [];
  worker.child.stdout?.on('data', (chunk) => chunks.push(chunk));
  const drained = new Promise((resolve) => worker.child.stdout?.once('close', resolve));
  const timer = setTimeout(() => void run.processes.stop(worker, 2_000), limitMs);
  const { code } = await worker.exited.finally(() => clearTimeout(timer));
  await drained;
  if (code !== 0) throw new Error(`${label} helper failed (exit code ${code})`);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
