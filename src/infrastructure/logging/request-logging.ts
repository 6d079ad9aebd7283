import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplicationContext, MiddlewareConsumer } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';

type NextFn = (error?: Error) => void;
type ConnectMiddleware = (req: IncomingMessage, res: ServerResponse, next: NextFn) => void;

/**
 * The liveness probe gets no request logger. Nobody reads a request log line for it (it is
 * never logged, by design), its handler writes no log lines, and orchestrators call it every
 * few seconds on every instance. A line written there anyway would still be written, through
 * the root logger, only without `requestId`. The readiness probe keeps its request logger:
 * it does I/O, and when it fails the error line must name the request. (`autoLogging.ignore`
 * keeps both probes out of the per-request "request completed" lines.)
 */
export function skipsRequestLogger(url: string): boolean {
  return url === '/health/live' || url.startsWith('/health/live?');
}

/**
 * Runs nestjs-pino's request middleware (pino-http's per-request child logger and completion
 * line, then the binding of that logger to the async context, so every line written while the
 * request is handled carries its `requestId`) in a Fastify `onRequest` hook instead of as Nest
 * middleware.
 *
 * Why: on this adapter Nest middleware runs through @fastify/middie, which on every request
 * copies `ip`, `ips` (two proxy-addr walks), `hostname`, `protocol` and the parsed query onto
 * the raw request, decodes and normalises the URL, and tests each of the four mounts Nest made
 * for the wildcard route (`/` and `/v1`, times the two middleware functions) with a RegExp,
 * then Nest's own wrapper does it again. Measured here that was ~2.5 µs of CPU per request
 * (~8% of `GET /health/live`), paid even by requests the mounts then skipped. The mounts also
 * never matched version-neutral routes (`/health/*`, `/docs`), which therefore had no request
 * logger at all; now every route but the liveness probe has one.
 *
 * The middleware functions are the very ones nestjs-pino would mount (taken from its
 * `configure()`, with `forRoutes: []` in the module options so Nest mounts nothing), so the
 * logger, the completion line, redaction and the async context are unchanged. The hook must be
 * added before the app is created so that it runs before middie, i.e. before any Nest middleware,
 * like nestjs-pino's own global middleware did; the middleware is filled in once the app exists.
 */
export class RequestLogging {
  private middleware: ConnectMiddleware | undefined;

  /** Adds the hook; call before the Nest application is created. */
  attach(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      const middleware = this.middleware;
      if (middleware === undefined || skipsRequestLogger(request.url)) {
        done();
        return;
      }
      // pino-http takes the id from the raw request (`genReqId` in logging.module.ts); middie
      // used to copy it there.
      (request.raw as IncomingMessage & { id: string }).id = request.id;
      middleware(request.raw, reply.raw, done);
    });
  }

  /** Takes nestjs-pino's request middleware from the created application. */
  bind(app: INestApplicationContext): void {
    const loggerModule = app.get(LoggerModule, { strict: false });
    let captured: ConnectMiddleware[] = [];
    const consumer = {
      apply: (...middleware: ConnectMiddleware[]) => {
        captured = middleware;
        const proxy = { exclude: () => proxy, forRoutes: () => consumer };
        return proxy;
      },
    } as unknown as MiddlewareConsumer;
    loggerModule.configure(consumer);
    if (captured.length === 0) throw new Error('nestjs-pino registered no request middleware');
    this.middleware = captured.reduceRight<ConnectMiddleware>(
      (next, middleware) => (req, res, done) =>
        middleware(req, res, (error?: Error) => (error ? done(error) : next(req, res, done))),
      (_req, _res, done) => done(),
    );
  }
}
