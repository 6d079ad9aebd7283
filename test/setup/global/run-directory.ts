import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../../../src/infrastructure/database/embedded-postgres';

const PREFIX = 'app-test-run-';

/**
 * A scratch directory per test run, holding the run's PostgreSQL data and the pid of the
 * process that owns it, so the next run can clean up after one that was killed (Ctrl-C, OOM)
 * before its teardown stopped the servers.
 */
export async function createRunDirectory(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), PREFIX));
  // mkdtemp makes it private; PostgreSQL runs as another user (as root) and must reach its data.
  await chmod(dir, 0o755);
  await writeFile(join(dir, 'owner.pid'), String(process.pid));
  return dir;
}

/** Stops the servers of earlier runs whose owner is gone, and removes their directories. */
export async function removeAbandonedRunDirectories(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => []);
  for (const name of entries.filter((entry) => entry.startsWith(PREFIX))) {
    const dir = join(tmpdir(), name);
    const owner = Number(await readFile(join(dir, 'owner.pid'), 'utf8').catch(() => '0'));
    if (owner && isAlive(owner)) continue;
    await EmbeddedPostgres.stopAbandoned(join(dir, 'postgres')).catch(() => undefined);
    const redisPid = Number(await readFile(join(dir, 'redis.pid'), 'utf8').catch(() => '0'));
    if (redisPid && isAlive(redisPid) && (await commandOf(redisPid)).includes('redis-server')) {
      process.kill(redisPid, 'SIGTERM');
    }
    await rm(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function commandOf(pid: number): Promise<string> {
  return readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
}
