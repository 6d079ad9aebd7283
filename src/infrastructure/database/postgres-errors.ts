import { QueryFailedError } from 'typeorm';
import { isErrorLike } from '../../shared/error-like.js';

const UNIQUE_VIOLATION = '23505';

/** Whether `error` is PostgreSQL refusing a row because of the named unique index or constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === UNIQUE_VIOLATION && driverError.constraint === constraint;
}

/**
 * SQLSTATEs of a server that cannot serve now, whatever the statement: class 08 (the
 * connection failed), a shutdown or restart (`57P01` admin, `57P02` crash, `57P03` still
 * starting), no free connection slot (`53300`), and `57014`, a statement cancelled by
 * `statement_timeout`.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** What node-postgres and pg-pool say, without a SQLSTATE, when the server went away or did not answer in time. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'is not queryable',
  'timeout expired',
];

/** Socket errors: the server is not there (refused, reset, unreachable, not resolved). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Whether `error` (a TypeORM `QueryFailedError` or what node-postgres threw) says that
 * PostgreSQL could not be reached or did not answer in time, rather than that the statement
 * was wrong: trying again later may succeed, so a request answers 503, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  if (!isErrorLike(cause)) return false;
  const { code, message } = cause;
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_STATES.has(code))) return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return UNAVAILABLE_MESSAGES.some((text) => message.includes(text));
}
