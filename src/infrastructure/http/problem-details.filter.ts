import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind } from '../../shared/domain-error.js';
import { API_VERSION_HEADER, ApiVersioning } from './api-versioning.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details.js';
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

/** Codes for errors that are not the application's own (framework, Fastify, unknown). */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'HTTP.BAD_REQUEST',
  401: 'HTTP.UNAUTHORIZED',
  403: 'HTTP.FORBIDDEN',
  404: 'HTTP.NOT_FOUND',
  405: 'HTTP.METHOD_NOT_ALLOWED',
  406: 'HTTP.NOT_ACCEPTABLE',
  409: 'HTTP.CONFLICT',
  412: 'HTTP.PRECONDITION_FAILED',
  413: 'HTTP.PAYLOAD_TOO_LARGE',
  415: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
  422: 'HTTP.UNPROCESSABLE_ENTITY',
  429: 'HTTP.TOO_MANY_REQUESTS',
  503: 'HTTP.SERVICE_UNAVAILABLE',
};

type Problem = Omit<ProblemDetails, 'instance' | 'requestId'> & Record<string, unknown>;

const statusTitle = (status: number) =>
  (HttpStatus[status] ?? 'Error')
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');

const generic = (status: number, detail: string, code = CODE_BY_STATUS[status] ?? `HTTP.${status}`): Problem => ({
  type: 'about:blank',
  title: statusTitle(status),
  status,
  detail,
  code,
});

/**
 * The one place errors become HTTP responses: every error leaves as RFC 9457
 * `application/problem+json`. Unexpected errors are logged with their stack and answered
 * with a 500 that reveals nothing about the cause.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  constructor(private readonly versioning: ApiVersioning) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception, request);
    for (const [name, value] of Object.entries(headersOf(exception, problem.status))) void reply.header(name, value);

    if (problem.status >= 500) this.logger.error({ err: exception }, 'Unhandled error while serving the request');

    const body: ProblemDetails = {
      ...problem,
      instance: ApiVersioning.originalPath(request.raw),
      requestId: request.id,
    };
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }

  private toProblem(exception: unknown, request: FastifyRequest): Problem {
    if (exception instanceof DomainError) {
      const status = STATUS_BY_KIND[exception.kind];
      return {
        ...generic(status, exception.message, exception.code),
        type: `/problems/${slug(exception.code)}`,
        ...(exception.field !== undefined && { errors: [{ field: exception.field, messages: [exception.message] }] }),
      };
    }
    if (exception instanceof RequestValidationException) {
      return {
        ...generic(400, exception.message, 'HTTP.VALIDATION_FAILED'),
        type: '/problems/validation-failed',
        errors: exception.errors,
      };
    }
    if (exception instanceof ProblemException) {
      return { ...exception.extensions, ...generic(exception.getStatus(), exception.message, exception.code) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404 && !request.routeOptions?.url) return this.routeNotFound(request);
      return generic(status, status >= 500 ? 'The server could not complete the request' : detailOf(exception));
    }
    const status = (exception as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, body too large, unsupported media type.
      return generic(status, (exception as Error).message);
    }
    return generic(500, 'The server could not complete the request', 'INTERNAL');
  }

  private routeNotFound(request: FastifyRequest): Problem {
    const unsupported = this.versioning.unsupportedVersionOf(request.raw);
    const supported = this.versioning.supportedVersions.join(', ') || 'none';
    if (unsupported?.via === 'header') {
      return {
        ...generic(
          400,
          `API version '${unsupported.version}' requested in ${API_VERSION_HEADER} is not supported; supported versions: ${supported}`,
          'HTTP.UNSUPPORTED_API_VERSION',
        ),
        type: '/problems/unsupported-api-version',
      };
    }
    if (unsupported?.via === 'path') {
      return {
        ...generic(
          404,
          `API version ${unsupported.version} does not exist; supported versions: ${supported}`,
          'HTTP.UNSUPPORTED_API_VERSION',
        ),
        type: '/problems/unsupported-api-version',
      };
    }
    return generic(
      404,
      `No route for ${request.method} ${ApiVersioning.originalPath(request.raw)}`,
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
