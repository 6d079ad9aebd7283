import type { OutboxEvent } from '../../../../infrastructure/outbox/outbox-event.js';
import { newId } from '../../../../shared/ids.js';
import { UserRegisteredEvent } from '../../domain/events/user-registered.event.js';
import type { User, UserEvent } from '../../domain/user.js';
import {
  USERS_EMAIL_CHANGED,
  USERS_REGISTERED,
  type UsersEmailChangedPayload,
  type UsersRegisteredPayload,
} from '../../users.contracts.js';

/**
 * Turns a domain event into the integration event other modules subscribe to. The domain event
 * stays private to users; the integration event is the published contract (`users.contracts.ts`),
 * so the domain can change without breaking subscribers. Each gets a new id, which every
 * delivery of it repeats.
 */
export function integrationEventOf(event: UserEvent): OutboxEvent {
  const eventId = newId();
  if (event instanceof UserRegisteredEvent) {
    const payload: UsersRegisteredPayload = {
      eventId,
      userId: event.userId,
      email: event.email,
      name: event.name,
      registeredAt: event.registeredAt.toISOString(),
    };
    return { name: USERS_REGISTERED, payload };
  }
  const payload: UsersEmailChangedPayload = {
    eventId,
    userId: event.userId,
    email: event.email,
    changedAt: event.changedAt.toISOString(),
  };
  return { name: USERS_EMAIL_CHANGED, payload };
}

/** Takes the user's recorded domain events, as integration events for the outbox. */
export function pullIntegrationEvents(user: User): OutboxEvent[] {
  return user.pullEvents().map(integrationEventOf);
}
