import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplicationContext, MiddlewareConsumer } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { RequestLogging, skipsRequestLogger } from './request-logging.js';

type Next = (error?: Error) => void;

/** Stands in for nestjs-pino's LoggerModule: mounts two middleware functions, like the real one. */
function fakeApp(middleware: ((req: IncomingMessage, res: ServerResponse, next: Next) => void)[]) {
  const loggerModule = {
    configure: (consumer: MiddlewareConsumer) => consumer.apply(...middleware).forRoutes(),
  };
  return { get: () => loggerModule } as unknown as INestApplicationContext;
}

describe('RequestLogging', () => {
  const context = new AsyncLocalStorage<string>();
  const seen: string[] = [];
  let fastify: FastifyInstance;
  let url: string;

  beforeEach(async () => {
    seen.length = 0;
    fastify = Fastify({ logger: false, genReqId: () => 'request-id-1' });
    const logging = new RequestLogging();
    logging.attach(fastify);
    fastify.get('/v1/things', async () => ({ context: context.getStore() ?? null }));
    fastify.get('/health/live', async () => ({ context: context.getStore() ?? null }));
    fastify.get('/v1/fails', async () => 'unreachable');
    logging.bind(
      fakeApp([
        (req, _res, next) => {
          seen.push(`first ${(req as IncomingMessage & { id: string }).id}`);
          if (req.url === '/v1/fails') return next(new Error('middleware failed'));
          next();
        },
        // Like nestjs-pino's bindLoggerMiddleware: the rest of the request runs inside a context.
        (req, _res, next) => context.run(`bound ${(req as IncomingMessage & { id: string }).id}`, next),
      ]),
    );
    // A real server rather than `inject()`, whose cookie parser jest cannot load on Node 20.
    url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => fastify.close());

  it('runs the middleware in order, with the request id, and the handler inside their context', async () => {
    const res = await fetch(`${url}/v1/things`);
    expect(await res.json()).toEqual({ context: 'bound request-id-1' });
    expect(seen).toEqual(['first request-id-1']);
  });

  it('skips the liveness probe: its handler runs outside any request context', async () => {
    const res = await fetch(`${url}/health/live`);
    expect(await res.json()).toEqual({ context: null });
    expect(seen).toEqual([]);
  });

  it('passes a middleware error on to Fastify', async () => {
    const res = await fetch(`${url}/v1/fails`);
    expect(res.status).toBe(500);
  });
});

describe('skipsRequestLogger', () => {
  it.each([
    ['/health/live', true],
    ['/health/live?verbose=1', true],
    ['/health/ready', false],
    ['/health/lively', false],
    ['/v1/users', false],
  ])('%s -> %s', (url, skipped) => {
    expect(skipsRequestLogger(url)).toBe(skipped);
  });
});
