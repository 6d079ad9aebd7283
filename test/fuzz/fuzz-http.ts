import { request } from 'node:http';

/** What the fuzzer puts on the wire: the path and header values go out as latin1 bytes, unvalidated. */
export interface WireRequest {
  method: string;
  /** Path and query, already encoded (or deliberately not). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface WireResponse {
  status: number;
  contentType: string;
  text: string;
  elapsedMs: number;
}

/** Longer than any answer the fuzzer judges: the 2 s bound is checked on `elapsedMs`. */
const NO_ANSWER_MS = 15_000;

/**
 * Sends one request over a new connection with `node:http`, not `fetch`: undici refuses to send
 * much of what a hostile client does (raw non-ASCII bytes in the path, latin1 header values),
 * and a connection of its own means one the server closes (a 431, a parse error) takes no
 * later request with it.
 */
export function send(baseUrl: string, wire: WireRequest): Promise<WireResponse> {
  const { hostname, port } = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: hostname,
        port,
        method: wire.method,
        path: wire.path,
        agent: false,
        headers: { ...wire.headers, ...(wire.body && { 'content-length': String(wire.body.length) }) },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            contentType: String(incoming.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
            elapsedMs: performance.now() - started,
          }),
        );
      },
    );
    outgoing.setTimeout(NO_ANSWER_MS, () => outgoing.destroy(new Error(`no answer within ${NO_ANSWER_MS} ms`)));
    outgoing.on('error', reject);
    outgoing.end(wire.body);
  });
}
