import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../../infrastructure/auth/principal.js';
import { type AuthConfig, authConfig } from '../../../infrastructure/config/auth.config.js';
import { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { AccessTokens } from '../infrastructure/access-tokens.js';
import { newOpaqueToken } from '../infrastructure/secret-tokens.js';
import { SessionStore } from '../infrastructure/session.store.js';
import type { Account, ClientInfo, TokenPair } from './account.js';

const USER_AGENT_MAX_LENGTH = 512;

/** Opens sessions (sign-up, login) and answers token pairs (also for refresh). */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly sessions: SessionStore,
    private readonly tokens: AccessTokens,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async start(account: Pick<Account, 'id' | 'role'>, client: ClientInfo): Promise<TokenPair> {
    const now = this.clock.now();
    const refresh = newOpaqueToken();
    const sessionId = newId();
    await this.sessions.create(
      {
        id: sessionId,
        userId: account.id,
        userAgent: client.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
        ip: client.ip,
        createdAt: now,
        lastUsedAt: now,
        expiresAt: this.refreshExpiry(now),
        absoluteExpiresAt: new Date(now.getTime() + this.config.sessionMaxAgeS * 1000),
      },
      refresh.hash,
    );
    return this.pair({ userId: account.id, sessionId, role: account.role }, refresh.token);
  }

  async pair(principal: Principal, refreshToken: string): Promise<TokenPair> {
    return {
      accessToken: await this.tokens.issue(principal),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlS,
    };
  }

  /** When a refresh token handed out now stops working if unused (sliding; capped by the session's absolute expiry). */
  refreshExpiry(now: Date): Date {
    return new Date(now.getTime() + this.config.refreshTokenTtlS * 1000);
  }
}
