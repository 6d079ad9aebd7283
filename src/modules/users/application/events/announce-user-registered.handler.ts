import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { UserRegisteredEvent } from '../../domain/events/user-registered.event.js';
import { USERS_REGISTERED, type UsersRegisteredPayload } from '../../users.contracts.js';

/**
 * Turns the module's domain event into the integration event other modules subscribe to.
 * The domain event stays private to users; the integration event is the published contract
 * (`users.contracts.ts`), so the domain can change without breaking subscribers.
 */
@EventsHandler(UserRegisteredEvent)
export class AnnounceUserRegisteredHandler implements IEventHandler<UserRegisteredEvent> {
  constructor(private readonly emitter: EventEmitter2) {}

  handle(event: UserRegisteredEvent): void {
    const payload: UsersRegisteredPayload = {
      userId: event.userId,
      email: event.email,
      name: event.name,
      registeredAt: event.registeredAt.toISOString(),
    };
    this.emitter.emit(USERS_REGISTERED, payload);
  }
}
