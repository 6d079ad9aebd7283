import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/clock.js';
import { SessionNotFoundError } from '../../../domain/auth.errors.js';
import { RevocationSet } from '../../../infrastructure/revocation-set.js';
import { SessionStore } from '../../../infrastructure/session.store.js';
import { LogOutCommand } from './log-out.command.js';

/**
 * Revokes sessions. The store's trigger tells every API process; this one also records the
 * revocation at once, so the caller's next request with the old token is refused here even
 * before the notification comes back.
 */
@CommandHandler(LogOutCommand)
export class LogOutHandler implements ICommandHandler<LogOutCommand> {
  constructor(
    private readonly sessions: SessionStore,
    private readonly revocations: RevocationSet,
    private readonly clock: Clock,
  ) {}

  async execute({ userId, scope }: LogOutCommand): Promise<void> {
    const now = this.clock.now();
    if ('all' in scope) {
      this.revocations.add(await this.sessions.revokeAll(userId, 'logout_all', now));
      return;
    }
    const sessionId = 'current' in scope ? scope.current : scope.sessionId;
    const revoked = await this.sessions.revokeOwn(userId, sessionId, 'logout', now);
    if (!revoked && 'sessionId' in scope) throw new SessionNotFoundError(sessionId);
    this.revocations.add([sessionId]);
  }
}
