import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/** The route-level body limits there are; their sizes are settings (`httpConfig().routeBodyLimitBytes`). */
export type BodyLimitName = 'task';

const BODY_LIMIT_CONFIG_KEY = 'bodyLimitName';

/**
 * A smaller body limit for one route than BODY_LIMIT, by name: Fastify refuses a larger
 * body with a 413 (`HTTP.PAYLOAD_TOO_LARGE`) from its `Content-Length`, or as soon as the bytes
 * received pass the limit, before anything parses it. Decorators run before settings are
 * read, hence a name rather than a size.
 */
export const BodyLimit = (name: BodyLimitName): MethodDecorator => RouteConfig({ [BODY_LIMIT_CONFIG_KEY]: name });

/** Gives each route that declares `@BodyLimit(name)` Fastify's own `bodyLimit` of that size, as it is registered. */
export function applyRouteBodyLimits(fastify: FastifyInstance, sizes: Record<BodyLimitName, number>): void {
  fastify.addHook('onRoute', (route) => {
    const name = (route.config as Record<string, unknown> | undefined)?.[BODY_LIMIT_CONFIG_KEY];
    if (name !== undefined) route.bodyLimit = sizes[name as BodyLimitName];
  });
}
