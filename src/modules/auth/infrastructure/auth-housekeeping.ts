import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type AppConfig, appConfig } from '../../../infrastructure/config/app.config.js';
import { UnitOfWork } from '../../../infrastructure/database/unit-of-work.js';
import { Clock } from '../../../shared/clock.js';
import { LoginFailureStore } from './login-failure.store.js';
import { OneTimeTokenStore } from './one-time-token.store.js';

const EVERY_MS = 10 * 60_000;
/** Longer than any access token lives (AUTH_ACCESS_TOKEN_TTL_S is at most a day), plus skew. */
const RETAIN_MS = 25 * 3600_000;

/**
 * Deletes what can no longer matter: failed logins out of the window, spent one-time tokens,
 * sessions whose refresh token expired over a day ago (their access tokens are long dead), and
 * revocation records older than any access token. Runs on worker processes, so API replicas
 * do not all repeat it; the deletes are idempotent if two workers overlap.
 */
@Injectable()
export class AuthHousekeeping implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuthHousekeeping.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly failures: LoginFailureStore,
    private readonly tokens: OneTimeTokenStore,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.app.runsWorkers) return;
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'Auth housekeeping failed'));
    }, EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - RETAIN_MS);
    await this.failures.prune(now);
    await this.tokens.prune(now);
    await this.unitOfWork.manager.query(`DELETE FROM auth_sessions WHERE expires_at < $1`, [cutoff]);
    await this.unitOfWork.manager.query(`DELETE FROM auth_revoked_sessions WHERE revoked_at < $1`, [cutoff]);
  }
}
