import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/infrastructure/database/embedded-postgres.js';
import { freePort } from '../helpers/free-port.js';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const postmasterPid = (dir: string) => Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('embedded PostgreSQL', () => {
  let dir: string;
  let port: number;
  const started: EmbeddedPostgres[] = [];
  const start = async () => {
    const server = await EmbeddedPostgres.start({ dir, port, database: 'app' });
    started.push(server);
    return server;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'app-embedded-test-'));
    port = await freePort();
  });
  afterEach(async () => {
    for (const server of started.splice(0)) await server.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('initialises a cluster on first start, creates the database, and keeps data across restarts', async () => {
    const first = await start();
    expect(first.url).toBe(`postgres://postgres:postgres@127.0.0.1:${port}/app`);
    await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives')");
    await first.stop();

    const second = await start();
    expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives' }]);
  });

  it('recovers from a stale postmaster.pid left by a server that died', async () => {
    const first = await start();
    const pid = postmasterPid(dir);
    const pidFile = await readFile(join(dir, 'postmaster.pid'), 'utf8');
    process.kill(pid, 'SIGKILL');
    // The killed server's children may linger for a moment; wait until none holds the data dir.
    for (let i = 0; i < 100; i++) {
      try {
        execFileSync('pgrep', ['-f', `postgres -D ${dir}`]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      } catch {
        break;
      }
    }
    await writeFile(join(dir, 'postmaster.pid'), pidFile);
    started.splice(started.indexOf(first), 1);

    const second = await start();
    expect(await query(second.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    expect(postmasterPid(dir)).not.toBe(pid);
  });

  it('reuses a server left running by an earlier start, and does not stop what it did not start', async () => {
    const owner = await start();
    const pid = postmasterPid(dir);
    const adopter = await EmbeddedPostgres.start({ dir, port: await freePort(), database: 'other' });
    expect(adopter.url).toBe(`postgres://postgres:postgres@127.0.0.1:${port}/other`);
    expect(postmasterPid(dir)).toBe(pid);

    await adopter.stop();
    expect(await query(owner.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});
