import { STATUS_CODES } from 'node:http';
import { HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class FieldProblem {
  @ApiProperty({ example: 'email', description: 'Path of the offending field, dotted for nested fields' })
  field: string;

  @ApiProperty({ example: ['email must be an email'], type: [String] })
  messages: string[];
}

/** RFC 9457 problem details, with this API's `code` and `requestId` extensions. */
export class ProblemDetails {
  @ApiProperty({ example: 'about:blank', description: 'URI reference identifying the problem type' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'Validation failed for 1 field' })
  detail: string;

  @ApiProperty({ example: '/v1/users', description: 'The request path that produced the problem' })
  instance: string;

  @ApiProperty({ example: 'HTTP.VALIDATION_FAILED', description: 'Stable, namespaced error code' })
  code: string;

  @ApiProperty({ example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  requestId: string;

  @ApiPropertyOptional({ type: [FieldProblem], description: 'Present on validation problems' })
  errors?: FieldProblem[];
}

/** A problem before the request it answers is known: everything but `instance` and `requestId`. */
export type Problem = Omit<ProblemDetails, 'instance' | 'requestId'> & Record<string, unknown>;

/** Longest value sent by the caller (a header, a version) that a problem quotes in full. */
export const ECHO_LIMIT = 64;
/** Longest request path a problem quotes in full: real paths fit, a 16 KB one does not. */
export const PATH_ECHO_LIMIT = 128;
/** Longest message of a Nest or Fastify error a problem quotes in full: theirs are short unless they quote the request. */
export const MESSAGE_LIMIT = 160;

/** `value` cut to `limit` characters plus an ellipsis when longer, without splitting a surrogate pair. */
export function truncate(value: string, limit = ECHO_LIMIT): string {
  if (value.length <= limit) return value;
  const code = value.charCodeAt(limit - 1);
  return `${value.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit)}…`;
}

/** Codes for errors that are not the application's own (framework, Fastify, Node, unknown). */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'HTTP.BAD_REQUEST',
  401: 'HTTP.UNAUTHORIZED',
  403: 'HTTP.FORBIDDEN',
  404: 'HTTP.NOT_FOUND',
  405: 'HTTP.METHOD_NOT_ALLOWED',
  406: 'HTTP.NOT_ACCEPTABLE',
  408: 'HTTP.REQUEST_TIMEOUT',
  409: 'HTTP.CONFLICT',
  412: 'HTTP.PRECONDITION_FAILED',
  413: 'HTTP.PAYLOAD_TOO_LARGE',
  414: 'HTTP.URI_TOO_LONG',
  415: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
  422: 'HTTP.UNPROCESSABLE_ENTITY',
  429: 'HTTP.TOO_MANY_REQUESTS',
  431: 'HTTP.REQUEST_HEADER_FIELDS_TOO_LARGE',
  503: 'HTTP.SERVICE_UNAVAILABLE',
};

/** "Request Timeout" for 408: Nest's names first (stable across Node versions), then Node's. */
export function statusTitle(status: number): string {
  const name = HttpStatus[status];
  if (!name) return STATUS_CODES[status] ?? 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** A problem of type `about:blank`: its status says all there is to say about its kind. */
export function genericProblem(
  status: number,
  detail: string,
  code = CODE_BY_STATUS[status] ?? `HTTP.${status}`,
): Problem {
  return { type: 'about:blank', title: statusTitle(status), status, detail, code };
}

/** The document sent for `problem`, raised by the request for `path` with id `requestId`. */
export function problemDocument(problem: Problem, path: string, requestId: string): ProblemDetails {
  return { ...problem, instance: truncate(path, PATH_ECHO_LIMIT), requestId };
}
