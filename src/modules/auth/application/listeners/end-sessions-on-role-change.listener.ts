import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Clock } from '../../../../shared/clock.js';
import { USERS_ROLE_CHANGED, type UsersRoleChangedPayload } from '../../../users/users.contracts.js';
import { RevocationSet } from '../../infrastructure/revocation-set.js';
import { SessionStore } from '../../infrastructure/session.store.js';

/**
 * Ends every session of a user whose role changed. An access token carries the role it was
 * issued with; without this a demoted admin kept admin rights until the token's next refresh.
 * As for log-out-all: the sessions table's trigger tells the other processes, and this one
 * records the revocation at once. The users module awaits this listener (`emitAsync`), so the
 * role change answers only once the old tokens are refused. A user deleted outright needs no
 * listener: its sessions go with it through the foreign key, and the same trigger fires.
 */
@Injectable()
export class EndSessionsOnRoleChangeListener {
  constructor(
    private readonly sessions: SessionStore,
    private readonly revocations: RevocationSet,
    private readonly clock: Clock,
  ) {}

  // `promisify`: Nest wraps the method in a plain function, so without it `emitAsync` would not
  // wait for the revocation (EventEmitter2 only awaits async listeners it recognises as such).
  @OnEvent(USERS_ROLE_CHANGED, { async: true, promisify: true })
  async onRoleChanged(event: UsersRoleChangedPayload): Promise<void> {
    this.revocations.add(await this.sessions.revokeAll(event.userId, 'role_changed', this.clock.now()));
  }
}
