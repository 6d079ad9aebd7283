import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { UserEmailChangedEvent } from '../../domain/events/user-email-changed.event.js';
import { USERS_EMAIL_CHANGED, type UsersEmailChangedPayload } from '../../users.contracts.js';

/** Publishes the domain event as the `users.email-changed` integration event. */
@EventsHandler(UserEmailChangedEvent)
export class AnnounceUserEmailChangedHandler implements IEventHandler<UserEmailChangedEvent> {
  constructor(private readonly emitter: EventEmitter2) {}

  handle(event: UserEmailChangedEvent): void {
    const payload: UsersEmailChangedPayload = {
      userId: event.userId,
      email: event.email,
      changedAt: event.changedAt.toISOString(),
    };
    this.emitter.emit(USERS_EMAIL_CHANGED, payload);
  }
}
