import { connect } from 'node:net';
import { expectProblem, type Problem, PROBLEM_CONTENT_TYPE } from './helpers/problem.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** What a raw socket read back: the status, the headers (lower-cased names) and the body. */
interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `chunks` on a fresh connection and reads until the server closes it. For what
 * `fetch` cannot send (a 20 KB header, a body shorter than its Content-Length) or cannot see
 * (responses written on the socket before Fastify has a request).
 */
function rawExchange(url: string, ...chunks: string[]): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    socket.on('connect', () => chunks.forEach((chunk) => socket.write(chunk)));
    socket.on('data', (data) => received.push(data));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd === -1) return reject(new Error(`no HTTP response, got ${JSON.stringify(text)}`));
      const [statusLine, ...lines] = text.slice(0, headEnd).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(headEnd + 4) });
    });
  });
}

const headersOf = (res: Response) => Object.fromEntries(res.headers.entries());

/** The headers every answer carries, however early in the pipeline it was written. */
function expectPipelineHeaders(headers: Record<string, string>, problem: Problem): void {
  expect(headers['x-request-id']).toBe(problem.requestId);
  expect(headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['content-security-policy']).toContain("default-src 'self'");
  expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  expect(headers['cache-control']).toBe('no-store');
}

/** Asserts a raw response is a complete problem document of this status and code, and returns it. */
function expectRawProblem(res: RawResponse, status: number, code: string): Problem {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: expect.any(String) });
  expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
  expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
  expect(res.headers.connection).toBe('close');
  const problem = JSON.parse(res.body) as Problem;
  expect(problem).toMatchObject({ status, code });
  expectPipelineHeaders(res.headers, problem);
  return problem;
}

/** Issue 13: errors Fastify and Node answer on their own, before or outside the Nest filter. */
describe('every error is problem+json (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: { BODY_LIMIT: '1kb', HTTP_REQUEST_TIMEOUT_MS: '500', HTTP_HEADERS_TIMEOUT_MS: '500' },
    });
  });
  afterAll(() => t?.close());

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${t.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('answers a path that is not valid UTF-8 once decoded with a 400 problem', async () => {
    const res = await fetch(`${t.url}/v1/users/%ED%A0%80`);
    const problem = await expectProblem(res, 400, 'HTTP.BAD_URL');
    expectPipelineHeaders(headersOf(res), problem);
  });

  it('answers a 200-character id with a 414 problem that does not echo the path in full', async () => {
    const id = 'a'.repeat(200);
    const res = await fetch(`${t.url}/v1/users/${id}`);
    const problem = await expectProblem(res, 414, 'HTTP.URI_TOO_LONG');
    expectPipelineHeaders(headersOf(res), problem);
    expect(JSON.stringify(problem)).not.toContain(id);
    expect(problem.instance.length).toBeLessThan(200);
  });

  it('answers a 20 KB header with a 431 problem written on the socket', async () => {
    const res = await rawExchange(
      t.url,
      `GET /health/live HTTP/1.1\r\nhost: localhost\r\nx-big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    expectRawProblem(res, 431, 'HTTP.REQUEST_HEADER_FIELDS_TOO_LARGE');
  });

  it('answers a request line that is not HTTP with a 400 problem written on the socket', async () => {
    const res = await rawExchange(t.url, 'NOT HTTP AT ALL\r\n\r\n');
    expectRawProblem(res, 400, 'HTTP.BAD_REQUEST');
  });

  it('answers a body that stops short of its Content-Length with a 408 problem once HTTP_REQUEST_TIMEOUT_MS passes', async () => {
    const res = await rawExchange(
      t.url,
      'POST /v1/auth/signup HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{',
    );
    expectRawProblem(res, 408, 'HTTP.REQUEST_TIMEOUT');
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await post('{"email":');
    const problem = await expectProblem(res, 400, 'HTTP.BAD_REQUEST');
    expectPipelineHeaders(headersOf(res), problem);
  });

  it('answers a body over BODY_LIMIT with a 413 problem', async () => {
    const res = await post(JSON.stringify({ email: 'a'.repeat(2048) }));
    const problem = await expectProblem(res, 413, 'HTTP.PAYLOAD_TOO_LARGE');
    expectPipelineHeaders(headersOf(res), problem);
  });

  it('answers text/plain with a 415 problem that does not echo a long content type', async () => {
    const contentType = `text/plain; x=${'c'.repeat(5000)}`;
    const res = await post('hello', contentType);
    const problem = await expectProblem(res, 415, 'HTTP.UNSUPPORTED_MEDIA_TYPE');
    expectPipelineHeaders(headersOf(res), problem);
    expect(problem.detail.length).toBeLessThan(200);
  });

  it('answers a 5,000-digit X-API-Version with a short 400 problem', async () => {
    const version = '9'.repeat(5000);
    const res = await fetch(`${t.url}/info`, { headers: { 'x-api-version': version } });
    const text = await res.clone().text();
    const problem = await expectProblem(res, 400, 'HTTP.UNSUPPORTED_API_VERSION');
    expect(text.length).toBeLessThan(600);
    expect(problem.detail).toContain(`'${'9'.repeat(64)}…'`);
  });

  it('cuts a 5,000-digit version in the path short in the 404 problem', async () => {
    const res = await fetch(`${t.url}/v${'9'.repeat(5000)}/info`);
    const text = await res.clone().text();
    await expectProblem(res, 404, 'HTTP.UNSUPPORTED_API_VERSION');
    expect(text.length).toBeLessThan(600);
  });

  it('cuts a long unknown path short in the 404 problem', async () => {
    const path = `/v1/${'p'.repeat(3000)}`;
    const res = await fetch(`${t.url}${path}`);
    const text = await res.clone().text();
    const problem = await expectProblem(res, 404, 'HTTP.ROUTE_NOT_FOUND');
    expect(text.length).toBeLessThan(600);
    expect(problem.instance.endsWith('…')).toBe(true);
  });
});
