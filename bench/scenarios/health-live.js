/**
 * The cost of the framework itself: the liveness probe does no I/O, so whatever separates the
 * app from a bare Fastify route is the pipeline (version rewriting, Nest routing, the global
 * throttler guard, pipes, helmet, the request id and timing hooks). The probe is exempt from
 * rate limiting (the guard runs but lets it through) and from request logging, so those two
 * costs show up in later scenarios on real routes.
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
  /**
   * A production process also serves ordinary requests, and the first one switches on the
   * request-context tracking of the logger (AsyncLocalStorage). On Node 20 that makes every
   * later request, probes included, measurably dearer (on Node 22+ it is nearly free), so the
   * app is put in that state before it is measured.
   */
  async prepare({ appUrl }) {
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${appUrl}/v1/info`);
      if (!res.ok) throw new Error(`GET /v1/info answered ${res.status} while preparing the app`);
    }
  },
};
