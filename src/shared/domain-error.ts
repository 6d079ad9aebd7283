/**
 * What kind of failure a domain error is. The HTTP layer maps each kind to a status code,
 * so domain code never mentions HTTP.
 */
export type DomainErrorKind =
  'invalid' | 'not_found' | 'conflict' | 'precondition_failed' | 'forbidden' | 'unauthenticated' | 'too_many_requests';

/**
 * Base class for errors that domain and application code throw on purpose. `code` is a
 * stable, namespaced identifier clients can branch on (`USERS.EMAIL_TAKEN`).
 */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  abstract readonly code: string;
  /** The input field at fault, when there is one: the problem document names it in `errors`. */
  readonly field?: string;
  /** For `too_many_requests`: when trying again makes sense (seconds). */
  readonly retryAfterS?: number;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
