import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../../src/infrastructure/database/embedded-postgres.js';
import { describeIf } from '../helpers/describe-if.js';
import { freePort } from '../helpers/free-port.js';
import { expectProblem } from '../helpers/problem.js';
import { spawnRedisServer } from '../helpers/redis-server.js';

/**
 * Servers a fault test may stop, restart or freeze without touching the run's shared
 * PostgreSQL and Redis, which every other test file uses.
 */

/** A PostgreSQL cluster of this test file only (durability off, as the run's). */
export class DedicatedPostgres {
  private constructor(
    private server: EmbeddedPostgres,
    private readonly dir: string,
    private readonly port: number,
  ) {}

  static async start(): Promise<DedicatedPostgres> {
    const dir = await mkdtemp(join(tmpdir(), 'app-fault-pg-'));
    const port = await freePort();
    return new DedicatedPostgres(await DedicatedPostgres.boot(dir, port), dir, port);
  }

  private static boot(dir: string, port: number): Promise<EmbeddedPostgres> {
    return EmbeddedPostgres.start({
      dir,
      port,
      database: 'app',
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
  }

  /** A new, empty database on this server. */
  async createDatabase(name: string): Promise<string> {
    await this.server.createDatabase(name);
    return this.server.urlOf(name);
  }

  /** `pg_ctl stop -m fast`: sessions are terminated (57P01), then nobody can connect. */
  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** Starts the same cluster again, on the same port, with its data. */
  async start(): Promise<void> {
    this.server = await DedicatedPostgres.boot(this.dir, this.port);
  }

  async destroy(): Promise<void> {
    await this.server.stop().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** `describe` when `redis-server` can be started here; otherwise reported as skipped. */
export const describeWithRedisServer = describeIf(hasRedisServer, 'redis-server is not on the PATH');

/** A `redis-server` of this test file only, without persistence, on a free port that it keeps across restarts. */
export class DedicatedRedis {
  private constructor(
    private server: ChildProcess,
    private readonly port: number,
  ) {}

  static async start(): Promise<DedicatedRedis> {
    const port = await freePort();
    return new DedicatedRedis(await spawnRedisServer(port), port);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** SIGSTOP: connections stay open and nothing answers, as with a server that hangs or a network that drops packets. */
  freeze(): void {
    this.server.kill('SIGSTOP');
  }

  thaw(): void {
    this.server.kill('SIGCONT');
  }

  /** Gone (SIGKILL): connections are refused until {@link start}. Without persistence, its data is gone too. */
  async kill(): Promise<void> {
    if (this.server.exitCode !== null || this.server.signalCode !== null) return;
    const exited = new Promise((resolve) => this.server.once('exit', resolve));
    this.server.kill('SIGCONT');
    this.server.kill('SIGKILL');
    await exited;
  }

  /** A new server on the same port. */
  async start(): Promise<void> {
    this.server = await spawnRedisServer(this.port);
  }
}

/** The answer of a request whose dependency is out of reach: 503 problem+json with Retry-After, never 500. */
export async function expectUnavailable(res: Response, retryAfterS: string): Promise<void> {
  await expectProblem(res, 503, 'HTTP.DEPENDENCY_UNAVAILABLE');
  expect(res.headers.get('retry-after')).toBe(retryAfterS);
}
