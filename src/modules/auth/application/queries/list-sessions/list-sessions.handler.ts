import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/clock.js';
import { type SessionRecord, SessionStore } from '../../../infrastructure/session.store.js';
import { ListSessionsQuery } from './list-sessions.query.js';

@QueryHandler(ListSessionsQuery)
export class ListSessionsHandler implements IQueryHandler<ListSessionsQuery> {
  constructor(
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
  ) {}

  execute(query: ListSessionsQuery): Promise<SessionRecord[]> {
    return this.sessions.listActive(query.userId, this.clock.now());
  }
}
