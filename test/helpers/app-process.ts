import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { freePort } from './free-port.js';

/** Built by the jest global setup (test/setup/global/build-for-process-tests.ts). */
const MAIN = resolve('dist-test/main.js');

export interface AppProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** stdout lines that are JSON log records. */
  logLines(): Record<string, unknown>[];
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  waitForExit(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the process if it is still running (SIGKILL), for cleanup. */
  stop(): Promise<void>;
}

/**
 * Runs the compiled application as a real process, with only the given environment (plus
 * PATH and HOME) so the developer's own variables cannot leak into the test.
 */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );

  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    logLines: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    waitForOutput: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`process exited before printing ${pattern}; output:\n${output}`);
        }
        if (Date.now() > deadline)
          throw new Error(`nothing matched ${pattern} within ${timeoutMs} ms; output:\n${output}`);
        await setTimeout(50);
      }
    },
    waitForExit: (timeoutMs = 30_000) =>
      Promise.race([
        exited,
        setTimeout(timeoutMs, undefined, { ref: false }).then(() => {
          throw new Error(`process still running after ${timeoutMs} ms; output:\n${output}`);
        }),
      ]),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
