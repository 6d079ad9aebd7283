import { HttpException } from '@nestjs/common';

/**
 * An HTTP error that names its own problem `code` and may add extension members to the
 * problem document (RFC 9457 section 3.2). For errors of the HTTP layer itself; domain code
 * throws `DomainError`s instead.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    /** Response headers that belong to the problem (`WWW-Authenticate` of a 401, say). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail, status);
  }
}
