/**
 * What other modules may know about users. Anything else under `modules/users/` is private
 * to this module.
 */
import { integrationEvent } from '../../infrastructure/wiring/messages.js';

/** Integration event emitted (with `@nestjs/event-emitter`) once a registration is committed. */
export const USERS_REGISTERED = integrationEvent('users.registered');

/** Payload of {@link USERS_REGISTERED}. Plain JSON values, so it can also cross a queue. */
export interface UsersRegisteredPayload {
  userId: string;
  /** Normalised (lower case). */
  email: string;
  name: string;
  /** ISO 8601. */
  registeredAt: string;
}
