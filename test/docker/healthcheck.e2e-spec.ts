import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../helpers/free-port.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { dockerDir } from './docker-files.js';

/** Runs docker/healthcheck.js as the image's HEALTHCHECK does: plain node, settings from the environment. */
function probe(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dockerDir, 'healthcheck.js')], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr, ms: Date.now() - started }));
  });
}

/** A stand-in server: answers every request with `status`, or never answers when status is undefined. */
async function fakeServer(status?: number): Promise<{ port: number; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (status !== undefined) res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, paths, server };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('docker/healthcheck.js', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('exits 0 against the running app', async () => {
    const result = await probe({ PORT: new URL(t.url).port });
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it('exits 1 when nothing listens on the port', async () => {
    const result = await probe({ PORT: String(await freePort()) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ECONNREFUSED/);
  });

  it('asks /health/live and exits 1 on a non-2xx answer', async () => {
    const fake = await fakeServer(503);
    try {
      const result = await probe({ PORT: String(fake.port) });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/answered 503/);
      expect(fake.paths).toEqual(['/health/live']);
    } finally {
      await closeServer(fake.server);
    }
  });

  it('exits 0 on a 2xx answer from /health/live', async () => {
    const fake = await fakeServer(204);
    try {
      expect((await probe({ PORT: String(fake.port) })).code).toBe(0);
      expect(fake.paths).toEqual(['/health/live']);
    } finally {
      await closeServer(fake.server);
    }
  });

  it('exits 1 at its deadline when the server accepts but never answers', async () => {
    const fake = await fakeServer(undefined);
    try {
      const result = await probe({ PORT: String(fake.port), HEALTHCHECK_TIMEOUT_MS: '300' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/did not answer within 300 ms/);
      expect(result.ms).toBeLessThan(5_000);
    } finally {
      await closeServer(fake.server);
    }
  });
});
