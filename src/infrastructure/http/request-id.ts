import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Letters, digits and `-_.:`, 8 to 128 characters: enough for UUIDs and trace ids, nothing that can break a log line. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/** Fastify's `genReqId`: reuse a well-formed incoming `X-Request-Id`, otherwise a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && WELL_FORMED.test(incoming) ? incoming : randomUUID();
}
