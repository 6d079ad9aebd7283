import { stdSerializers } from 'pino';

/** What a redacted value is replaced with, in every log line (the same as pino's `redact` censor). */
export const CENSOR = '[REDACTED]';

/**
 * Query parameters whose values a log line may show: paging and filters that name no one. An
 * allow-list, like the logged headers: `email`, `q`, a `token` and any parameter added later
 * show only their name.
 */
const LOGGED_QUERY_VALUES = new Set(['limit', 'cursor', 'status', 'type', 'version']);

/** A parameter name worth keeping; anything else (a bare `?ada@example.com`) may be the value itself. */
const PLAIN_NAME = /^[A-Za-z0-9_.[\]-]{1,64}$/;

/**
 * The URL as an access log line shows it: the path and the query's parameter names, with the
 * values of all but {@link LOGGED_QUERY_VALUES} replaced, so `GET /v1/users?email=ada@example.com`
 * is logged as `/v1/users?email=[REDACTED]`.
 */
export function redactedUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      if (!PLAIN_NAME.test(name)) return pair === '' ? pair : CENSOR;
      if (equals < 0 || LOGGED_QUERY_VALUES.has(name)) return pair;
      return `${name}=${CENSOR}`;
    });
  return `${url.slice(0, start)}?${pairs.join('&')}`;
}

/**
 * Keys of a database error that hold the values of a statement: TypeORM's `parameters`, and
 * PostgreSQL's `detail` (`Key (email)=(ada@example.com) already exists`, `Failing row contains
 * (...)`) and `where` (`unnamed portal parameter $1 = '...'`). The SQL text (`query`, with `$1`
 * placeholders), the code, the constraint, table and column stay: they are what one debugs with.
 */
const STATEMENT_VALUE_KEYS = new Set(['parameters', 'detail', 'where', 'internalQuery']);

/** SQLSTATE class 22 (data exception): the message quotes the rejected value (`invalid input syntax for type uuid: "..."`). */
const DATA_EXCEPTION = /^22[0-9A-Z]{3}$/;
const QUOTED = /"(?:[^"\\\n]|\\.)*"/g;

const isDatabaseError = (record: Record<string, unknown>) =>
  'parameters' in record || 'driverError' in record || ('severity' in record && 'code' in record);

function scrub(value: unknown, depth: number): unknown {
  if (depth > 5 || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const database = isDatabaseError(record);
  const quotesValues = database && typeof record.code === 'string' && DATA_EXCEPTION.test(record.code);
  const scrubbed: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(record)) {
    if (key === 'parameters' || (database && STATEMENT_VALUE_KEYS.has(key))) continue;
    if (quotesValues && (key === 'message' || key === 'stack') && typeof field === 'string')
      scrubbed[key] = field.replace(QUOTED, `"${CENSOR}"`);
    else scrubbed[key] = scrub(field, depth + 1);
  }
  return scrubbed;
}

/**
 * pino's `err` serializer, minus the values of database statements (see
 * {@link STATEMENT_VALUE_KEYS}), at any depth (`driverError` repeats them). pino-http hands it
 * errors already through pino's standard serializer; a raw error goes through it first.
 */
export function serializeError(error: unknown): unknown {
  return scrub(error instanceof Error ? stdSerializers.err(error) : error, 0);
}
