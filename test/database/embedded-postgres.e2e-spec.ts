import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddedPostgres,
  firstDeniedPath,
  ServerUserDeniedError,
} from '../../src/infrastructure/database/embedded-postgres.js';
import { describeIf } from '../helpers/describe-if.js';
import { freePort } from '../helpers/free-port.js';
import { withClient } from '../helpers/test-database.js';

const query = (url: string, sql: string): Promise<unknown[]> =>
  withClient(url, async (client) => (await client.query(sql)).rows);

/** Only root has a second user (`postgres`) to be denied. */
const describeWhenRoot = describeIf(userInfo().uid === 0, 'not run as root');

const postmasterPid = (dir: string) => Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
const portOf = (server: EmbeddedPostgres) => Number(new URL(server.url).port);
/** The port a data directory remembers, for starts that name none. */
const rememberedPort = async (dir: string) => Number(await readFile(join(dir, 'embedded-port'), 'utf8'));

describe('embedded PostgreSQL', () => {
  let dir: string;
  let port: number;
  const started: EmbeddedPostgres[] = [];
  /** Starts on `dir` and this test's port; `{}` leaves the port to the server. */
  const start = async (at = dir, pinned: { port?: number } = { port }) => {
    const server = await EmbeddedPostgres.start({ dir: at, database: 'app', ...pinned });
    started.push(server);
    return server;
  };
  const startUnpinned = (at: string) => start(at, {});

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

  describe('without a port', () => {
    let otherDir: string;
    beforeEach(async () => {
      otherDir = await mkdtemp(join(tmpdir(), 'app-embedded-test-'));
    });
    afterEach(() => rm(otherDir, { recursive: true, force: true }));

    it('starts a second data directory beside the first on another port, and each keeps its port', async () => {
      const first = await startUnpinned(dir);
      const second = await startUnpinned(otherDir);
      expect(portOf(second)).not.toBe(portOf(first));
      expect(await query(first.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      expect(await query(second.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      expect(await rememberedPort(dir)).toBe(portOf(first));
      expect(await rememberedPort(otherDir)).toBe(portOf(second));

      await second.stop();
      started.splice(started.indexOf(second), 1);
      const again = await startUnpinned(otherDir);
      expect(portOf(again)).toBe(portOf(second));
    });

    it('moves to a free port, and remembers it, when something else took its port', async () => {
      const first = await startUnpinned(dir);
      const taken = portOf(first);
      await first.stop();
      started.splice(started.indexOf(first), 1);

      const squatter = createServer();
      await new Promise<void>((listening) => squatter.listen(taken, '127.0.0.1', listening));
      try {
        const moved = await startUnpinned(dir);
        expect(portOf(moved)).not.toBe(taken);
        expect(await query(moved.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
        expect(await rememberedPort(dir)).toBe(portOf(moved));
      } finally {
        await new Promise((closed) => squatter.close(closed));
      }
    });
  });

  describeWhenRoot('as root, where the server runs as the postgres user', () => {
    it('names the folder that user may not enter, to initialise or to start', async () => {
      // mkdtemp makes `dir` mode 700 and root's own, like root's home directory.
      const dataDir = join(dir, 'project', '.data', 'postgres');
      const refusal = start(dataDir);

      await expect(refusal).rejects.toThrow(ServerUserDeniedError);
      await expect(refusal).rejects.toThrow(`may not enter ${dir} (mode 700, owner uid 0)`);
      await expect(refusal).rejects.toThrow(`chmod o+x ${dir}`);

      await chmod(dir, 0o711);
      const server = await start(dataDir);
      expect(await query(server.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      await server.stop();

      // An initialised cluster whose folder was closed since: `pg_ctl start` is refused the same way.
      await chmod(dir, 0o700);
      await expect(start(dataDir)).rejects.toThrow(`may not enter ${dir} (mode 700, owner uid 0)`);
    });
  });
});

describe('firstDeniedPath', () => {
  const someoneElse = { uid: 4242, gid: 4242 };
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'app-denied-test-'));
    await chmod(root, 0o755);
    await mkdir(join(root, 'a', 'b'), { recursive: true });
    await writeFile(join(root, 'a', 'b', 'tool'), '', { mode: 0o755 });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const deniedOf = (...paths: string[]) => firstDeniedPath(paths, someoneElse.uid, someoneElse.gid);

  it('finds nothing when every folder on the way lets others in', async () => {
    expect(await deniedOf(join(root, 'a', 'b', 'tool'))).toBeUndefined();
  });

  it('names the first folder on the way that others may not enter', async () => {
    await chmod(join(root, 'a'), 0o750);
    await chmod(join(root, 'a', 'b'), 0o700);
    expect(await deniedOf(join(root, 'a', 'b', 'tool'))).toEqual({
      path: join(root, 'a'),
      mode: '750',
      owner: userInfo().uid,
    });
  });

  it('names a file that others may not run', async () => {
    await chmod(join(root, 'a', 'b', 'tool'), 0o754);
    expect(await deniedOf(join(root, 'a'), join(root, 'a', 'b', 'tool'))).toMatchObject({
      path: join(root, 'a', 'b', 'tool'),
      mode: '754',
    });
  });

  it('judges by the owner bits for the owner and the group bits for the group', async () => {
    await chmod(join(root, 'a'), 0o100);
    const { uid, gid } = userInfo();
    expect(await firstDeniedPath([join(root, 'a', 'b')], uid, gid)).toBeUndefined();
    await chmod(join(root, 'a'), 0o010);
    expect(await firstDeniedPath([join(root, 'a', 'b')], uid, gid)).toMatchObject({ path: join(root, 'a') });
    expect(await firstDeniedPath([join(root, 'a', 'b')], someoneElse.uid, gid)).toBeUndefined();
  });

  it('stops along a path at the first part that does not exist yet', async () => {
    expect(await deniedOf(join(root, 'missing', 'data'))).toBeUndefined();
  });
});
