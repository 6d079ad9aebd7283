import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER } from './request-id.js';

/**
 * Fastify-level middleware, cheaper than Nest middleware on this adapter: every response
 * (errors and 404s included) carries the security headers, echoes the request id and
 * reports the time spent serving it.
 * Once the server starts closing, responses also ask the client to close its keep-alive
 * connection; otherwise the server would wait for idle sockets until the shutdown timeout.
 */
export function attachRequestHooks(fastify: FastifyInstance, staticHeaders: Record<string, string>): void {
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.headers(staticHeaders);
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(1)}`);
    if (closing) reply.header('connection', 'close');
  });
}
