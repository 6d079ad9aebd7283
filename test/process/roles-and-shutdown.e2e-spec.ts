import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppProcess, startAppProcess } from '../helpers/app-process.js';
import { freePort } from '../helpers/free-port.js';
import { createTestDatabase } from '../helpers/test-database.js';

const STARTED = /"msg":"Started \(role (api|worker|all)\)"/;

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Alive and not a zombie (this sandbox's init does not reap orphans). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('process roles and lifecycle (real process)', () => {
  const started: AppProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startAppProcess(env);
    started.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((app) => app.stop()));
  });

  it('APP_ROLE=worker starts without opening an HTTP port', async () => {
    const app = await start({ APP_ROLE: 'worker', DATABASE_URL: await createTestDatabase() });
    await app.waitForOutput(STARTED);
    expect(app.output()).toMatch(/"role":"worker"/);
    expect(await isListening(app.port)).toBe(false);
  });

  it('APP_ROLE=api serves HTTP and says its processors are not started', async () => {
    const app = await start({ APP_ROLE: 'api', DATABASE_URL: await createTestDatabase() });
    await app.waitForOutput(STARTED);
    const res = await fetch(`${app.url}/health/ready`);
    expect(res.status).toBe(200);
  });

  it('logs once where it listens, the docs and readiness URLs, and which database and queue it uses', async () => {
    const databaseUrl = await createTestDatabase();
    const app = await start({ DATABASE_URL: databaseUrl });
    await app.waitForOutput(STARTED);
    const line = app.logLines().find((record) => record.msg === 'Started (role all)');
    expect(line).toMatchObject({
      api: `http://127.0.0.1:${app.port}/v1`,
      docs: `http://127.0.0.1:${app.port}/docs`,
      readiness: `http://127.0.0.1:${app.port}/health/ready`,
      queue: 'postgres',
    });
    expect(String(line?.database)).toMatch(/^external postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\//);
    expect(app.output()).not.toContain(`:${new URL(databaseUrl).password}@`);
  });

  it('on SIGTERM with the embedded PostgreSQL: drains, stops the database and exits 0; a restart keeps the data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'app-embedded-'));
    const env = { EMBEDDED_DB_DIR: dataDir, EMBEDDED_DB_PORT: String(await freePort()) };
    try {
      const first = await start(env);
      await first.waitForOutput(STARTED, 60_000);
      expect(first.output()).toMatch(/"database":"embedded postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/);
      const postmasterPid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      // A row written through the app's database survives the restart.
      execFileSync('node', [
        '-e',
        `const pg=require('pg');const c=new pg.Client('postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_DB_PORT}/app');` +
          `c.connect().then(()=>c.query('CREATE TABLE kept(v text); INSERT INTO kept VALUES ($$still here$$)')).then(()=>c.end())`,
      ]);

      first.child.kill('SIGTERM');
      const { code } = await first.waitForExit();
      expect(code).toBe(0);
      expect(first.output()).toMatch(/SIGTERM received/);
      expect(first.output()).toMatch(/Shutdown complete \(exit code 0\)/);
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
      expect(isRunning(postmasterPid)).toBe(false);

      const second = await start(env);
      await second.waitForOutput(STARTED, 60_000);
      expect(second.output()).not.toMatch(/initialising a new PostgreSQL cluster/);
      const rows = execFileSync('node', [
        '-e',
        `const pg=require('pg');const c=new pg.Client('postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_DB_PORT}/app');` +
          `c.connect().then(()=>c.query('SELECT v FROM kept')).then((r)=>{console.log(r.rows[0].v);return c.end()})`,
      ]).toString();
      expect(rows.trim()).toBe('still here');
      second.child.kill('SIGTERM');
      expect((await second.waitForExit()).code).toBe(0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
