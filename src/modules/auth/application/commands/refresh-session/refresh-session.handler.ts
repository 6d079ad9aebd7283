import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { type AuthConfig, authConfig } from '../../../../../infrastructure/config/auth.config.js';
import { Clock } from '../../../../../shared/clock.js';
import { GetUserQuery } from '../../../../users/users.contracts.js';
import { RefreshRaceError, RefreshTokenInvalidError, RefreshTokenReusedError } from '../../../domain/auth.errors.js';
import { RevocationSet } from '../../../infrastructure/revocation-set.js';
import { hashOpaqueToken, newOpaqueToken } from '../../../infrastructure/secret-tokens.js';
import { SessionStore } from '../../../infrastructure/session.store.js';
import type { TokenPair } from '../../account.js';
import { SessionIssuer } from '../../session-issuer.js';
import { RefreshSessionCommand } from './refresh-session.command.js';

/**
 * Rotates a refresh token: the presented one stops working and a new pair is answered. A token
 * presented again after its rotation means two parties hold it: the whole session is revoked,
 * unless it comes within AUTH_REFRESH_RACE_WINDOW_MS (the same client refreshing twice at
 * once, say from two tabs), which answers 409 and leaves the session and the winner's pair alone.
 * The access token carries the user's role as it is now, so a role change reaches the session
 * at its next refresh.
 */
@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements ICommandHandler<RefreshSessionCommand> {
  constructor(
    private readonly sessions: SessionStore,
    private readonly issuer: SessionIssuer,
    private readonly revocations: RevocationSet,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async execute(command: RefreshSessionCommand): Promise<TokenPair> {
    const now = this.clock.now();
    const next = newOpaqueToken();
    const result = await this.sessions.rotate(
      hashOpaqueToken(command.refreshToken),
      {
        hash: next.hash,
        now,
        expiresAt: this.issuer.refreshExpiry(now),
        userAgent: command.client.userAgent,
        ip: command.client.ip,
      },
      this.config.refreshRaceWindowMs,
    );
    if (result.outcome === 'reused') {
      this.revocations.add([result.sessionId]);
      throw new RefreshTokenReusedError();
    }
    if (result.outcome === 'raced') throw new RefreshRaceError();
    if (result.outcome === 'invalid') throw new RefreshTokenInvalidError();
    const account = await this.queries.execute(new GetUserQuery(result.session.userId)).catch(() => {
      throw new RefreshTokenInvalidError();
    });
    return this.issuer.pair({ userId: account.id, sessionId: result.session.id, role: account.role }, next.token);
  }
}
