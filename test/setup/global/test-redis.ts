import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../helpers/free-port';
import { spawnRedisServer } from '../../helpers/redis-server';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * REDIS_URL as given, or a private `redis-server` on a free port (its pid recorded in `runDir`,
 * see run-directory.ts), or undefined when neither exists.
 */
export async function startTestRedis(runDir: string): Promise<TestRedis | undefined> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  if (spawnSync('redis-server', ['--version']).status !== 0) return undefined;

  const port = await freePort();
  const server = await spawnRedisServer(port);
  await writeFile(join(runDir, 'redis.pid'), String(server.pid));
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      }),
  };
}
