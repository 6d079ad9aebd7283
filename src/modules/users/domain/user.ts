import { UserEmailChangedEvent } from './events/user-email-changed.event.js';
import { UserRegisteredEvent } from './events/user-registered.event.js';
import { InvalidUserError, UserVersionMismatchError } from './user.errors.js';

export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 254;

/** Everything a user is made of, as stored. */
export interface UserState {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: Date;
  updatedAt: Date;
  /** When the current email was proven to reach the user; null until then, and again after a change. */
  emailVerifiedAt: Date | null;
  /** Starts at 1 and grows by one with every change: the basis of optimistic concurrency. */
  version: number;
}

export type UserEvent = UserRegisteredEvent | UserEmailChangedEvent;

export interface UserChanges {
  email?: string;
  name?: string;
}

/** Stored lower-cased and trimmed, so uniqueness is case-insensitive. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Control characters (U+0000 among them, which PostgreSQL cannot store in text). */
const CONTROL_CHARACTERS = /\p{Cc}/u;

/** A deliberately loose shape check; the HTTP layer validates more strictly before we get here. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validEmail(email: string): string {
  const normalised = normaliseEmail(email);
  if (!EMAIL_SHAPE.test(normalised) || normalised.length > EMAIL_MAX_LENGTH || CONTROL_CHARACTERS.test(normalised))
    throw new InvalidUserError(`'${email}' is not a valid email address`);
  return normalised;
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > NAME_MAX_LENGTH)
    throw new InvalidUserError(`A name must be 1 to ${NAME_MAX_LENGTH} characters after trimming`);
  if (CONTROL_CHARACTERS.test(trimmed)) throw new InvalidUserError('A name must not contain control characters');
  return trimmed;
}

/**
 * The user aggregate. It owns its rules (email normalised and valid, name trimmed and
 * bounded, role defaulting to `user`, version bumped on every change) and records the
 * domain events of what happened to it; the application layer publishes them once the
 * change is committed. Plain TypeScript: no framework or database types in here.
 */
export class User {
  private state: UserState;
  private pendingEvents: UserEvent[] = [];

  private constructor(state: UserState) {
    this.state = state;
  }

  static register(input: { id: string; email: string; name: string; now: Date }): User {
    const user = new User({
      id: input.id,
      email: validEmail(input.email),
      name: validName(input.name),
      role: 'user',
      createdAt: input.now,
      updatedAt: input.now,
      emailVerifiedAt: null,
      version: 1,
    });
    user.pendingEvents.push(new UserRegisteredEvent(user.id, user.email, user.name, input.now));
    return user;
  }

  /** Rebuilds a stored user; no rules run and no events are recorded. */
  static restore(state: UserState): User {
    return new User({ ...state });
  }

  get id(): string {
    return this.state.id;
  }
  get email(): string {
    return this.state.email;
  }
  get name(): string {
    return this.state.name;
  }
  get role(): UserRole {
    return this.state.role;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get updatedAt(): Date {
    return this.state.updatedAt;
  }
  get emailVerifiedAt(): Date | null {
    return this.state.emailVerifiedAt;
  }
  get version(): number {
    return this.state.version;
  }

  /**
   * Refuses a change based on an older read: `expectedVersion` is the version the client saw
   * (from `If-Match`); `undefined` means the change is unconditional.
   */
  assertVersion(expectedVersion: number | undefined): void {
    if (expectedVersion !== undefined && expectedVersion !== this.state.version)
      throw new UserVersionMismatchError(this.state.id, expectedVersion, this.state.version);
  }

  /**
   * Applies the changes that differ from the current state; returns whether anything
   * changed. A real change moves `updatedAt` and the version; a no-op leaves both alone.
   * A new email is unverified until its owner proves it again (`UserEmailChangedEvent`).
   */
  update(changes: UserChanges, now: Date): boolean {
    const email = changes.email === undefined ? this.state.email : validEmail(changes.email);
    const name = changes.name === undefined ? this.state.name : validName(changes.name);
    if (email === this.state.email && name === this.state.name) return false;
    const emailChanged = email !== this.state.email;
    this.state = {
      ...this.state,
      email,
      name,
      emailVerifiedAt: emailChanged ? null : this.state.emailVerifiedAt,
      updatedAt: now,
      version: this.state.version + 1,
    };
    if (emailChanged) this.pendingEvents.push(new UserEmailChangedEvent(this.state.id, email, now));
    return true;
  }

  /**
   * Records that `email` reaches the user. Returns false, changing nothing, when the user's
   * email is no longer that one (the proof was for an address it has since left) or is
   * already verified.
   */
  verifyEmail(email: string, now: Date): boolean {
    if (normaliseEmail(email) !== this.state.email || this.state.emailVerifiedAt !== null) return false;
    this.state = { ...this.state, emailVerifiedAt: now, updatedAt: now, version: this.state.version + 1 };
    return true;
  }

  /** Gives the user another role; returns whether it changed. */
  changeRole(role: UserRole, now: Date): boolean {
    if (role === this.state.role) return false;
    this.state = { ...this.state, role, updatedAt: now, version: this.state.version + 1 };
    return true;
  }

  toState(): UserState {
    return { ...this.state };
  }

  /** Hands over the events recorded since the last call, once. */
  pullEvents(): UserEvent[] {
    const events = this.pendingEvents;
    this.pendingEvents = [];
    return events;
  }
}
