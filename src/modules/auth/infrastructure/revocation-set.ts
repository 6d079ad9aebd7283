import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { type AppConfig, appConfig } from '../../../infrastructure/config/app.config.js';
import { type AuthConfig, authConfig } from '../../../infrastructure/config/auth.config.js';
import { DatabaseEndpoint } from '../../../infrastructure/database/database-endpoint.js';
import { UnitOfWork } from '../../../infrastructure/database/unit-of-work.js';

export const REVOCATION_CHANNEL = 'auth_session_revoked';
const RECONNECT_MAX_DELAY_MS = 10_000;
const PRUNE_EVERY_MS = 60_000;
/** Clock skew allowed between processes when deciding a revocation no longer matters. */
const SKEW_MS = 60_000;

/**
 * The sessions revoked recently enough that one of their access tokens may still be alive,
 * kept in memory in every API process, so checking a token's session costs a `Map` lookup.
 *
 * Fresh across processes through PostgreSQL: a trigger on `auth_sessions` records every
 * revocation (logout, password change, a deleted user's cascade...) in `auth_revoked_sessions`
 * and sends `NOTIFY auth_session_revoked` on commit. Each process LISTENs on its own
 * connection, then loads the table, so nothing falls between the two. While that connection is
 * down (the database restarted, say), `isRevoked` asks the table on every call instead, and
 * the set is reloaded when the connection is back: a revocation is never missed, only slower.
 */
@Injectable()
export class RevocationSet implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RevocationSet.name);
  private readonly revoked = new Map<string, number>();
  private client: pg.Client | undefined;
  private listening = false;
  private stopped = false;
  private reconnectDelayMs = 250;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly endpoint: DatabaseEndpoint,
    private readonly unitOfWork: UnitOfWork,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  /** How long a revoked session id must be remembered: as long as its last access token may live. */
  private get memoryMs(): number {
    return this.auth.accessTokenTtlS * 1000 + SKEW_MS;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.app.runsHttp) return;
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_EVERY_MS).unref();
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pruneTimer);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }

  /** Whether the session was revoked. Synchronous while listening; asks the database otherwise. */
  isRevoked(sessionId: string): boolean | Promise<boolean> {
    if (this.listening) return this.revoked.has(sessionId);
    return this.unitOfWork.manager
      .query(`SELECT 1 FROM auth_revoked_sessions WHERE session_id = $1`, [sessionId])
      .then((rows: unknown[]) => rows.length > 0);
  }

  /** Records revocations this process committed, without waiting for their notification. */
  add(sessionIds: string[]): void {
    const now = Date.now();
    for (const id of sessionIds) this.revoked.set(id, now);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.endpoint.url, application_name: 'auth-revocations' });
    this.client = client;
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel === REVOCATION_CHANNEL && message.payload) this.revoked.set(message.payload, Date.now());
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
      const rows = await client.query<{ session_id: string; revoked_at: Date }>(
        `SELECT session_id, revoked_at FROM auth_revoked_sessions WHERE revoked_at > now() - make_interval(secs => $1)`,
        [this.memoryMs / 1000],
      );
      for (const row of rows.rows) this.revoked.set(row.session_id, row.revoked_at.getTime());
      if (this.client !== client) return;
      this.listening = true;
      this.reconnectDelayMs = 250;
    } catch (error) {
      this.lost(client, error);
      await client.end().catch(() => undefined);
    }
  }

  /** The listening connection failed (or never opened): fall back to the table and try again later. */
  private lost(client: pg.Client, error?: unknown): void {
    if (this.stopped || client !== this.client) return;
    this.client = undefined;
    this.listening = false;
    this.logger.warn(
      { err: error },
      `Revocation listener disconnected; sessions are checked in the database until it is back (retry in ${this.reconnectDelayMs} ms)`,
    );
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectDelayMs).unref();
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_DELAY_MS);
  }

  private prune(now = Date.now()): void {
    for (const [id, revokedAt] of this.revoked) if (now - revokedAt > this.memoryMs) this.revoked.delete(id);
  }
}
