import { type NestApplicationOptions, VersioningType } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { appConfig } from '../config/app.config.js';
import { httpConfig } from '../config/http.config.js';
import { fastifyTrustProxy } from '../config/trust-proxy.js';
import { RequestLogging } from '../logging/request-logging.js';
import { ApiVersioning, DEFAULT_API_VERSION } from './api-versioning.js';
import { attachConditionalGet } from './conditional-get.js';
import { fastifyErrorOptions } from './fastify-errors.js';
import { setupOpenApi } from './openapi.js';
import { shedLoadUnderPressure } from './pressure.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { attachRequestHooks } from './request-hooks.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';
import { securityHeaders } from './security-headers.js';
import { createValidationPipe, RequestValidationException } from './validation.js';
import { applyRouteBodyLimits } from './json-body-limit.js';
import { type JsonLimits, jsonLimitProblemsInSlices } from './json-limits.js';

/**
 * Options every HTTP app is created with. `bodyParser: false` keeps Nest from adding its
 * `application/x-www-form-urlencoded` parser: the API reads JSON only, and a form post is a
 * request any web page can send cross-site without a CORS preflight.
 */
const APP_OPTIONS: NestApplicationOptions = { bufferLogs: true, bodyParser: false };

/** Characters of one path parameter (ids are 36): a longer one is a 414 before routing ends. */
const MAX_PARAM_LENGTH = 100;

/**
 * Builds the Fastify-backed Nest application with the whole HTTP pipeline. `create` makes
 * the app from the adapter and the options it is given (`NestFactory.create` in main.ts, a
 * testing module in e2e tests), so production and tests run exactly the same pipeline.
 */
export async function createHttpApp(
  create: (adapter: FastifyAdapter, options: NestApplicationOptions) => Promise<NestFastifyApplication>,
): Promise<NestFastifyApplication> {
  // Adapter options are needed before the DI container exists, so read the settings directly.
  const http = httpConfig();
  const versioning = new ApiVersioning();
  const responseHeaders = securityHeaders({
    // Swagger UI needs inline styles and data: images; everything else stays same-origin.
    contentSecurityPolicy: {
      directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
    },
  });
  const { timeouts } = http;
  const adapter = new FastifyAdapter({
    logger: false,
    genReqId: requestIdFor,
    bodyLimit: http.bodyLimitBytes,
    // `request.ip` is the address the outermost trusted proxy saw: only the proxies TRUST_PROXY
    // lists (or, for a hop count, that many hops) may speak for the client through X-Forwarded-For.
    trustProxy: fastifyTrustProxy(http.trustProxy),
    rewriteUrl: versioning.rewriteUrl,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A client that sends its request slowly holds a connection (and its memory) until these.
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.connectionMs,
    http: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      // Node checks both deadlines on this interval, every 30 s by default: a slow client could
      // then hold its connection for up to 30 s past them.
      connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    ...fastifyErrorOptions({ responseHeaders, maxParamLength: MAX_PARAM_LENGTH }),
  });
  // JSON only (Fastify's own parser): other bodies, text/plain included, get a 415.
  adapter.getInstance().removeContentTypeParser('text/plain');
  boundJson(adapter.getInstance(), http.json);
  applyRouteBodyLimits(adapter.getInstance(), http.routeBodyLimitBytes);
  versioning.attach(adapter.getInstance());
  attachConditionalGet(adapter.getInstance());
  const requestLogging = new RequestLogging();
  requestLogging.attach(adapter.getInstance());
  attachRequestHooks(adapter.getInstance(), responseHeaders);
  // After the request logging's hook, so that the requests it refuses are logged too.
  await shedLoadUnderPressure(adapter.getInstance(), http.pressure);

  const app = await create(adapter, APP_OPTIONS);
  requestLogging.bind(app);
  app.useLogger(app.get(Logger));
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: DEFAULT_API_VERSION });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(versioning));
  if (http.corsOrigins.length > 0) {
    app.enableCors({
      origin: http.corsOrigins,
      exposedHeaders: [REQUEST_ID_HEADER, 'retry-after', 'location', 'etag'],
    });
  }
  setupOpenApi(app, appConfig());
  return app;
}

/**
 * Fastify's own JSON parser (prototype-poisoning checks included), behind one linear pass over
 * the text (json-limits.ts: nesting, keys, items, string lengths, U+0000, lone surrogates; in
 * slices, so that large bodies do not hold other requests) that answers a validation problem
 * naming the field, before the pipes and class-transformer do any per-key work: a body nested
 * thousands deep overflowed their stack (500), 60,000 keys held the event loop for 14 s, and PostgreSQL refused a U+0000 or a lone surrogate with a 500.
 */
function boundJson(fastify: FastifyInstance, limits: JsonLimits): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    void (async () => {
      let problems;
      try {
        problems = await jsonLimitProblemsInSlices(text, limits);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (problems.length > 0) done(new RequestValidationException(problems));
      else parseJson(request, text, done);
    })();
  });
}
