import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyServerOptions } from 'fastify';
import { ApiVersioning } from './api-versioning.js';
import { genericProblem, type Problem, PROBLEM_CONTENT_TYPE, problemDocument } from './problem-details.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';

export interface FastifyErrorSettings {
  /** Headers every response carries (the security headers), as the onSend hook adds them. */
  responseHeaders: Record<string, string>;
  /** Fastify's `maxParamLength`: a longer path parameter is a 414. */
  maxParamLength: number;
}

type ErrorOptions = Required<Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'>>;

/**
 * Problem documents for the errors answered before a route exists, where neither the Nest
 * filter nor the onSend hooks run: the router's (a path that is not UTF-8 once decoded, an
 * over-long parameter) and Node's HTTP parser's (headers too large, not HTTP, a request still
 * incomplete at the request timeout), which Fastify answered with its own plain JSON and none
 * of the pipeline's headers.
 */
export function fastifyErrorOptions(settings: FastifyErrorSettings): ErrorOptions {
  const headersFor = (requestId: string) => ({
    ...settings.responseHeaders,
    'cache-control': 'no-store',
    [REQUEST_ID_HEADER]: requestId,
    'content-type': PROBLEM_CONTENT_TYPE,
  });
  return {
    frameworkErrors: (error, request, reply) => {
      const problem = routerProblem(error, settings.maxParamLength);
      const body = JSON.stringify(problemDocument(problem, ApiVersioning.originalPath(request.raw), request.id));
      reply.raw
        .writeHead(problem.status, { ...headersFor(request.id), 'content-length': Buffer.byteLength(body) })
        .end(body);
    },
    clientErrorHandler: (error, socket) => {
      // Reset by the peer: nobody is left to answer.
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      // As Node does without a handler: answer only if no response has started on this socket,
      // or the bytes would land in the middle of one. `_httpMessage` is the response in flight.
      const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (socket.writable && !inFlight?.headersSent) {
        const problem = connectionProblem(error);
        const request = inFlight?.req;
        const requestId = request ? requestIdFor(request) : randomUUID();
        const body = JSON.stringify(
          request
            ? problemDocument(problem, ApiVersioning.originalPath(request), requestId)
            : { ...problem, requestId },
        );
        socket.write(rawResponse(problem.status, headersFor(requestId), body));
      }
      socket.destroy(error);
    },
  };
}

function routerProblem(error: FastifyError, maxParamLength: number): Problem {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return genericProblem(
        400,
        'The request path is not a valid URL: a percent-encoded sequence in it is not UTF-8',
        'HTTP.BAD_URL',
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return genericProblem(414, `A parameter of the request path is longer than ${maxParamLength} characters`);
    default:
      return genericProblem(500, 'The server could not complete the request', 'INTERNAL');
  }
}

function connectionProblem(error: ConnectionError): Problem {
  // Node's headersTimeout and requestTimeout both end a slow request with this code.
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return genericProblem(408, 'The request was not received in full in time');
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return genericProblem(431, 'The request header fields are larger than the server accepts');
  }
  return genericProblem(400, 'The request is not valid HTTP/1.1');
}

/** A complete HTTP/1.1 response that closes the connection: the parser cannot read on after an error. */
function rawResponse(status: number, headers: Record<string, string>, body: string): string {
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
