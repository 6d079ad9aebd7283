import { Query } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { SessionRecord } from '../../../infrastructure/session.store.js';

/** The user's live sessions, most recently used first. */
@RequiresHandler()
export class ListSessionsQuery extends Query<SessionRecord[]> {
  constructor(readonly userId: string) {
    super();
  }
}
