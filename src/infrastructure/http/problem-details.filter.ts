import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind } from '../../shared/domain-error.js';
import { asDependencyUnavailable } from '../resilience/dependency-unavailable.js';
import { API_VERSION_HEADER, ApiVersioning } from './api-versioning.js';
import {
  genericProblem,
  MESSAGE_LIMIT,
  PATH_ECHO_LIMIT,
  type Problem,
  PROBLEM_CONTENT_TYPE,
  problemDocument,
  truncate,
} from './problem-details.js';
import { ProblemException } from './problem.exception.js';
import { RequestValidationException } from './validation.js';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  precondition_failed: HttpStatus.PRECONDITION_FAILED,
  forbidden: HttpStatus.FORBIDDEN,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  too_many_requests: HttpStatus.TOO_MANY_REQUESTS,
};

/** RFC 9110 section 11.6.1: a 401 names the scheme that would work (RFC 6750 for bearer tokens). */
export const BEARER_CHALLENGE = 'Bearer realm="api"';

/**
 * The one place errors become HTTP responses: every error leaves as RFC 9457
 * `application/problem+json`. Unexpected errors are logged with their stack and answered
 * with a 500 that reveals nothing about the cause.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  constructor(private readonly versioning: ApiVersioning) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    // A database or Redis out of reach, wherever it surfaced (a guard included): 503 with Retry-After.
    const exception = asDependencyUnavailable(thrown) ?? thrown;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception, request);
    for (const [name, value] of Object.entries(headersOf(exception, problem.status))) void reply.header(name, value);

    if (problem.status >= 500) this.logger.error({ err: exception }, 'Unhandled error while serving the request');

    const body = problemDocument(problem, ApiVersioning.originalPath(request.raw), request.id);
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }

  private toProblem(exception: unknown, request: FastifyRequest): Problem {
    if (exception instanceof DomainError) {
      const status = STATUS_BY_KIND[exception.kind];
      return {
        ...genericProblem(status, exception.message, exception.code),
        type: `/problems/${slug(exception.code)}`,
        ...(exception.field !== undefined && { errors: [{ field: exception.field, messages: [exception.message] }] }),
      };
    }
    if (exception instanceof RequestValidationException) {
      return {
        ...genericProblem(400, exception.message, 'HTTP.VALIDATION_FAILED'),
        type: '/problems/validation-failed',
        errors: exception.errors,
      };
    }
    if (exception instanceof ProblemException) {
      return { ...exception.extensions, ...genericProblem(exception.getStatus(), exception.message, exception.code) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404 && !request.routeOptions?.url) return this.routeNotFound(request);
      // Raised by Nest or Fastify, never by the application: a message that quotes the request is cut short.
      return genericProblem(
        status,
        status >= 500 ? 'The server could not complete the request' : truncate(detailOf(exception), MESSAGE_LIMIT),
      );
    }
    const status = (exception as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, body too large, unsupported media type.
      return genericProblem(status, truncate((exception as Error).message, MESSAGE_LIMIT));
    }
    return genericProblem(500, 'The server could not complete the request', 'INTERNAL');
  }

  private routeNotFound(request: FastifyRequest): Problem {
    const unsupported = this.versioning.unsupportedVersionOf(request.raw);
    const version = truncate(unsupported?.version ?? '');
    const supported = this.versioning.supportedVersions.join(', ') || 'none';
    if (unsupported?.via === 'header') {
      return {
        ...genericProblem(
          400,
          `API version '${version}' requested in ${API_VERSION_HEADER} is not supported; supported versions: ${supported}`,
          'HTTP.UNSUPPORTED_API_VERSION',
        ),
        type: '/problems/unsupported-api-version',
      };
    }
    if (unsupported?.via === 'path') {
      return {
        ...genericProblem(
          404,
          `API version ${version} does not exist; supported versions: ${supported}`,
          'HTTP.UNSUPPORTED_API_VERSION',
        ),
        type: '/problems/unsupported-api-version',
      };
    }
    return genericProblem(
      404,
      `No route for ${request.method} ${truncate(ApiVersioning.originalPath(request.raw), PATH_ECHO_LIMIT)}`,
      'HTTP.ROUTE_NOT_FOUND',
    );
  }
}

function headersOf(exception: unknown, status: number): Record<string, string> {
  if (exception instanceof ProblemException) return exception.headers;
  if (exception instanceof DomainError) {
    if (status === 401) return { 'www-authenticate': BEARER_CHALLENGE };
    if (exception.retryAfterS !== undefined) return { 'retry-after': String(exception.retryAfterS) };
  }
  return {};
}

function detailOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
}

function slug(code: string): string {
  return code.toLowerCase().replace(/[._]/g, '-');
}
