import { DomainError } from '../../../shared/domain-error.js';

/** Unknown email and wrong password alike: which one it was is not the caller's business. */
export class InvalidCredentialsError extends DomainError {
  readonly kind = 'unauthenticated';
  readonly code = 'AUTH.INVALID_CREDENTIALS';

  constructor() {
    super('The email or the password is wrong');
  }
}

export class TooManyLoginFailuresError extends DomainError {
  readonly kind = 'too_many_requests';
  readonly code = 'AUTH.TOO_MANY_FAILURES';

  constructor(override readonly retryAfterS: number) {
    super(`Too many failed logins: try again in ${retryAfterS} s`);
  }
}

export class PasswordRejectedError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'AUTH.PASSWORD_REJECTED';

  constructor(
    override readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

export class CurrentPasswordWrongError extends DomainError {
  readonly kind = 'forbidden';
  readonly code = 'AUTH.CURRENT_PASSWORD_WRONG';

  constructor() {
    super('currentPassword is not the current password');
  }
}

/** Unknown, expired or revoked: a refresh token that opens no session. */
export class RefreshTokenInvalidError extends DomainError {
  readonly kind = 'unauthenticated';
  readonly code = 'AUTH.REFRESH_INVALID';

  constructor() {
    super('The refresh token is not valid: log in again');
  }
}

/** A refresh token presented after it was rotated: it leaked, so its session was revoked. */
export class RefreshTokenReusedError extends DomainError {
  readonly kind = 'unauthenticated';
  readonly code = 'AUTH.REFRESH_REUSED';

  constructor() {
    super('The refresh token was already used; the session is revoked: log in again');
  }
}

/** The refresh token was rotated a moment ago by another request of the same client. */
export class RefreshRaceError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'AUTH.REFRESH_RACE';

  constructor() {
    super('This refresh token was just exchanged by another request: use the pair that request got');
  }
}

export class SessionNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'AUTH.SESSION_NOT_FOUND';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} does not exist`);
  }
}

/** Unknown, expired or already used: a one-time token (password reset, email verification) that proves nothing. */
export class OneTimeTokenInvalidError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'AUTH.CODE_INVALID';

  constructor(purpose: string) {
    super(`The ${purpose} token is unknown, expired or already used: ask for a new one`);
  }
}
