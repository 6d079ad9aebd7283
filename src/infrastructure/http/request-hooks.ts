import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER } from './request-id.js';

/**
 * Fastify-level middleware, cheaper than Nest middleware on this adapter: every response
 * (errors and 404s included) carries the security headers, echoes the request id and
 * reports the time spent serving it. Every response is `Cache-Control: no-store` unless its
 * route chose its own caching (the JWKS does): responses carry users, tasks and tokens, and a
 * shared cache or the browser's disk must keep none of them.
 * Once the server starts closing, responses also ask the client to close its keep-alive
 * connection; otherwise the server would wait for idle sockets until the shutdown timeout.
 */
export function attachRequestHooks(fastify: FastifyInstance, staticHeaders: Record<string, string>): void {
  // Lower-cased once here (Fastify lower-cases every name it is given) and walked as an array:
  // no `Object.keys()` per response.
  const names = Object.keys(staticHeaders).map((name) => name.toLowerCase());
  const values = Object.values(staticHeaders);
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  // Callback style rather than `async`: an async hook costs a promise and a microtask turn on
  // every response before Fastify writes it.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    for (let index = 0; index < names.length; index += 1) reply.header(names[index], values[index]);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(1)}`);
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}
