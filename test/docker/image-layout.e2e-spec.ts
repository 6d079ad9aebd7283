import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { migrations } from '../../src/infrastructure/database/migrations.js';
import { freePort } from '../helpers/free-port.js';
import { createTestDatabase, withClient } from '../helpers/test-database.js';
import {
  copies,
  execForm,
  instructions,
  readCompose,
  readDockerfile,
  repoRoot,
  serviceEnv,
  workdir,
} from './docker-files.js';

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/**
 * The image's commands, run for real without Docker: the runtime stage's COPY instructions are
 * replayed into a temporary folder that stands for the image's WORKDIR (dist/ compiled by tsc
 * as the build stage does, the project's node_modules linked in for `npm ci --omit=dev`), then
 * the compose migrate command, the CMD and the HEALTHCHECK run there with NODE_ENV=production
 * against the test PostgreSQL.
 */
describe('image layout (Dockerfile and compose commands, without Docker)', () => {
  const stages = readDockerfile();
  const runtime = stages.at(-1)!;
  const compose = readCompose();
  let root: string;
  let databaseUrl: string;
  const started: ChildProcess[] = [];

  /** Container environment: the Dockerfile's ENV, then the compose service's, then the test's. */
  function containerEnv(service: string, overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
    const imageEnv = Object.fromEntries(
      instructions(runtime, 'ENV').flatMap((args) =>
        [...args.matchAll(/(\w+)=(\S+)/g)].map(([, key, value]) => [key, value] as const),
      ),
    );
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...imageEnv,
      ...serviceEnv(compose.services[service]),
      DATABASE_URL: databaseUrl,
      // The compose Redis is the run's Redis when there is one; else the PostgreSQL queue backend.
      REDIS_URL: process.env.TEST_REDIS_URL,
      QUEUE_PREFIX: `image_${randomBytes(4).toString('hex')}`,
      ...overrides,
    };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    return env;
  }

  function start(argv: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
    const [program, ...args] = argv;
    expect(program).toBe('node');
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { child, output: () => output };
  }

  async function run(argv: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000) {
    const { child, output } = start(argv, env);
    const code = await exited(child, timeoutMs);
    return { code, output: output() };
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'app-image-'));
    const compiled = join(root, '.build-stage-dist');
    const tsc = await run(
      [
        'node',
        join(repoRoot, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(repoRoot, 'tsconfig.build.json'),
        '--outDir',
        compiled,
        '--tsBuildInfoFile',
        join(compiled, '.tsbuildinfo'),
      ],
      { PATH: process.env.PATH },
      90_000,
    );
    if (tsc.code !== 0) throw new Error(`tsc failed (the build stage would too):\n${tsc.output}`);

    const build = stages.find((stage) => stage.name && copies(runtime).some((copy) => copy.from === stage.name))!;
    const imageDir = workdir(runtime);
    for (const copy of copies(runtime)) {
      const dest = join(root, posix.relative(imageDir, posix.resolve(imageDir, copy.dest)));
      const intoDir = copy.dest.endsWith('/') || copy.sources.length > 1;
      for (const source of copy.sources) {
        let from: string;
        if (copy.from === undefined) from = join(repoRoot, source);
        else if (copy.from === build.name && source === posix.join(workdir(build), 'dist')) from = compiled;
        else throw new Error(`the test cannot replay COPY --from=${copy.from} ${source}`);
        const target = intoDir ? join(dest, posix.basename(source)) : dest;
        await mkdir(dirname(target), { recursive: true });
        await cp(from, target, { recursive: true });
      }
    }
    await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    databaseUrl = await createTestDatabase('image');
  }, 120_000);

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('migrates an empty database with the migrate service command', async () => {
    const result = await run(compose.services.migrate.command!, containerEnv('migrate', {}), 60_000);
    expect(result).toMatchObject({ code: 0 });

    const { rows } = await withClient(databaseUrl, (client) =>
      client.query<{ count: string }>('SELECT count(*) FROM migrations'),
    );
    expect(Number(rows[0].count)).toBe(migrations.length);
  }, 90_000);

  it('serves HTTP with the image command as the api role, passes the image health check, and stops on SIGTERM', async () => {
    const port = String(await freePort());
    const env = containerEnv('api', { PORT: port });
    expect(env.APP_ROLE).toBe('api');
    const app = start(execForm(instructions(runtime, 'CMD').at(-1)!), env);

    const healthcheck = execForm(/CMD (\[.*\])$/.exec(instructions(runtime, 'HEALTHCHECK').at(-1)!)![1]);
    const deadline = Date.now() + 45_000;
    let probe = await run(healthcheck, env);
    while (probe.code !== 0) {
      if (app.child.exitCode !== null) throw new Error(`the app exited with ${app.child.exitCode}:\n${app.output()}`);
      if (Date.now() > deadline) throw new Error(`never healthy: ${probe.output}\n${app.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      probe = await run(healthcheck, env);
    }

    // The version comes from the package.json the Dockerfile put next to dist/.
    const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as Record<string, string>;
    const res = await fetch(`http://127.0.0.1:${port}/v1/info`);
    expect(await res.json()).toMatchObject({
      name: manifest.name,
      version: manifest.version,
      environment: 'production',
    });

    app.child.kill('SIGTERM');
    expect(await exited(app.child, 30_000)).toBe(0);
    // Production logs are JSON lines.
    expect(app.output()).toMatch(/^\{.*"msg":"Started \(role api\)"/m);
  }, 120_000);

  it('runs the worker role with the image command and stops it cleanly on SIGTERM', async () => {
    const env = containerEnv('worker', {});
    expect(env.APP_ROLE).toBe('worker');
    const worker = start(execForm(instructions(runtime, 'CMD').at(-1)!), env);
    const deadline = Date.now() + 45_000;
    while (!worker.output().includes('Started (role worker)')) {
      if (worker.child.exitCode !== null) {
        throw new Error(`the worker exited with ${worker.child.exitCode}:\n${worker.output()}`);
      }
      if (Date.now() > deadline) throw new Error(`the worker never started:\n${worker.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    worker.child.kill('SIGTERM');
    expect(await exited(worker.child, 30_000)).toBe(0);
  }, 120_000);
});
