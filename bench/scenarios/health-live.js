/**
 * The cost of the framework itself: the liveness probe does no I/O, so whatever separates the
 * app from a bare Fastify route is the pipeline (version rewriting, Nest routing, the global
 * throttler guard, pipes, helmet, the request id and timing hooks, pino-http's per-request
 * child logger). The probe is exempt from rate limiting (the guard runs but lets it through)
 * and from the per-request log line, so those two costs show up in later scenarios on real routes.
 * @type {import('./index.js').Scenario}
 */
export default {
  name: 'health-live',
  title: 'GET /health/live through the full Nest pipeline vs a plain Fastify route',
  targetRatio: 0.5,
  app: { method: 'GET', path: '/health/live' },
  baseline(fastify) {
    fastify.get('/health/live', async () => ({ status: 'ok' }));
  },
};
