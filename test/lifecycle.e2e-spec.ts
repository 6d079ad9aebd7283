import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { EmbeddedPostgres } from '../src/infrastructure/database/embedded-postgres.js';
import { shutdownGracefully } from '../src/infrastructure/lifecycle/graceful-shutdown.js';
import { signUp } from './helpers/auth.js';
import { freePort } from './helpers/free-port.js';
import { inFlight, ProbeModule } from './helpers/probe.module.js';
import { createTestApp } from './helpers/test-app.js';

describe('graceful shutdown (e2e)', () => {
  it('lets a slow request in flight finish with 200, refuses new connections, and reports exit code 0', async () => {
    const t = await createTestApp({ imports: [ProbeModule] });
    const { headers } = await signUp(t.url);
    const startedBefore = inFlight.started;
    const slow = fetch(`${t.url}/v1/probe/slow?ms=1500`, { headers });
    while (inFlight.started === startedBefore) await sleep(10);

    let afterCloseRan = false;
    const exitCode = shutdownGracefully(t.app, {
      timeoutMs: 10_000,
      logger: new Logger('test'),
      afterClose: async () => {
        afterCloseRan = true;
      },
    });
    await sleep(100);
    await expect(fetch(`${t.url}/health/live`)).rejects.toThrow();

    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ waitedMs: 1500 });
    expect(await exitCode).toBe(0);
    expect(afterCloseRan).toBe(true);
  });

  it('gives up after the timeout and reports exit code 1', async () => {
    const t = await createTestApp({ imports: [ProbeModule] });
    const { headers } = await signUp(t.url);
    const startedBefore = inFlight.started;
    const slow = fetch(`${t.url}/v1/probe/slow?ms=3000`, { headers }).catch(() => undefined);
    while (inFlight.started === startedBefore) await sleep(10);

    expect(await shutdownGracefully(t.app, { timeoutMs: 200, logger: new Logger('test') })).toBe(1);
    await slow;
  });
});

describe('readiness (e2e)', () => {
  it('is 200 with every check up, and 503 naming the database when PostgreSQL goes away', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'app-ready-'));
    const server = await EmbeddedPostgres.start({ dir, port: await freePort(), database: 'app' });
    const t = await createTestApp({ databaseUrl: server.url });
    try {
      const up = await fetch(`${t.url}/health/ready`);
      expect(up.status).toBe(200);
      expect(await up.json()).toEqual({
        status: 'ok',
        checks: {
          database: expect.objectContaining({ status: 'up' }),
          queue: { status: 'up', backend: 'postgres' },
          circuits: { status: 'up', open: {} },
          pressure: expect.objectContaining({ status: 'up' }),
        },
      });

      await server.stop();
      const down = await fetch(`${t.url}/health/ready`);
      expect(down.status).toBe(503);
      expect(down.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = await down.json();
      expect(body).toMatchObject({
        status: 503,
        code: 'HEALTH.NOT_READY',
        detail: expect.stringMatching(/^Not ready: .*database/),
        checks: { database: { status: 'down' } },
      });

      const live = await fetch(`${t.url}/health/live`);
      expect(live.status).toBe(200);
    } finally {
      await t.close().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
