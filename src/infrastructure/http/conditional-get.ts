import type { FastifyInstance } from 'fastify';

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** Whether an `If-None-Match` value names `etag`; weak comparison, as RFC 9110 wants here. */
function matches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * Conditional GET for every route that sets an `ETag`: a GET or HEAD whose `If-None-Match`
 * names the current tag gets a 304 without a body, so a client revalidates what it cached
 * without downloading it again. Handlers need not know: they set the ETag, this does the rest.
 */
export function attachConditionalGet(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const ifNoneMatch = request.headers['if-none-match'];
    const etag = reply.getHeader('etag');
    if (
      ifNoneMatch !== undefined &&
      typeof etag === 'string' &&
      reply.statusCode === 200 &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      matches(ifNoneMatch, etag)
    ) {
      void reply.code(304).removeHeader('content-type').removeHeader('content-length');
      done(null, null);
      return;
    }
    done(null, payload);
  });
}
