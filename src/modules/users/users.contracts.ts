/**
 * What other modules may know about users. Anything else under `modules/users/` is private
 * to this module.
 */
import type { IntegrationEventPayload } from '../../infrastructure/outbox/outbox-event.js';
import { integrationEvent } from '../../infrastructure/wiring/messages.js';

/**
 * Integration event of a registration: stored in the outbox in the registration's transaction,
 * then relayed on `@nestjs/event-emitter` at least once. Subscribe with `@OnIntegrationEvent`
 * and key what must happen once on `eventId`.
 */
export const USERS_REGISTERED = integrationEvent('users.registered');

/** Payload of {@link USERS_REGISTERED}. Plain JSON values, so it can also cross a queue. */
export interface UsersRegisteredPayload extends IntegrationEventPayload {
  userId: string;
  /** Normalised (lower case). */
  email: string;
  name: string;
  /** ISO 8601. */
  registeredAt: string;
}

/**
 * Integration event of a new email, relayed like {@link USERS_REGISTERED} once the change is
 * committed; the address is unverified until proven.
 */
export const USERS_EMAIL_CHANGED = integrationEvent('users.email-changed');

export interface UsersEmailChangedPayload extends IntegrationEventPayload {
  userId: string;
  /** The new email, normalised. */
  email: string;
  /** ISO 8601. */
  changedAt: string;
}

/**
 * Integration event emitted once a user's new role is committed. Emitted with `emitAsync`, and
 * the role change (`PUT /v1/users/:id/role`) answers only once its listeners have finished: the
 * identity module ends the user's sessions here, so no access token still carries the old role.
 * A listener that must finish before that answer subscribes with `{ async: true, promisify: true }`.
 */
export const USERS_ROLE_CHANGED = integrationEvent('users.role-changed');

export interface UsersRoleChangedPayload {
  userId: string;
  role: 'user' | 'admin';
  previousRole: 'user' | 'admin';
  /** ISO 8601. */
  changedAt: string;
}

/** The request-body rules of a user's email and name, for other modules' DTOs that take them. */
export { EmailField, NameField } from './http/dto/user-fields.js';

/** The messages other modules may send to users (the identity module signs users up and in through them). */
export { RegisterUserCommand } from './application/commands/register-user/register-user.command.js';
export { ChangeUserRoleCommand } from './application/commands/change-user-role/change-user-role.command.js';
export { VerifyUserEmailCommand } from './application/commands/verify-user-email/verify-user-email.command.js';
export { GetUserQuery } from './application/queries/get-user/get-user.query.js';
export { FindUserByEmailQuery } from './application/queries/find-user-by-email/find-user-by-email.query.js';
