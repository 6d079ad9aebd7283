import { DomainError } from '../../../shared/domain-error.js';

export class InvalidUserError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'USERS.INVALID';
}

export class UserNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'USERS.NOT_FOUND';

  constructor(readonly userId: string) {
    super(`User ${userId} does not exist`);
  }
}

export class EmailTakenError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'USERS.EMAIL_TAKEN';

  constructor(readonly email: string) {
    super(`A user with email ${email} already exists`);
  }
}

/** The user changed since the version the client (or this transaction) based its change on. */
export class UserVersionMismatchError extends DomainError {
  readonly kind = 'precondition_failed';
  readonly code = 'USERS.VERSION_MISMATCH';

  constructor(
    readonly userId: string,
    readonly expectedVersion: number,
    readonly currentVersion?: number,
  ) {
    super(
      currentVersion === undefined
        ? `User ${userId} changed since version ${expectedVersion}`
        : `User ${userId} is at version ${currentVersion}, not ${expectedVersion}: read it again and retry`,
    );
  }
}

/** Taking the admin role away (demotion or deletion) from the only admin: nobody could manage users any more. */
export class LastAdminError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'USERS.LAST_ADMIN';

  constructor(readonly userId: string) {
    super(`User ${userId} is the last admin: make another user admin first`);
  }
}
