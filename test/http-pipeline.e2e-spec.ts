import { type AuthSession, signUp } from './helpers/auth.js';
import { ProbeModule } from './helpers/probe.module.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('HTTP pipeline (e2e)', () => {
  let t: TestApp;
  let session: AuthSession;

  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT: '1kb' }, imports: [ProbeModule] });
    session = await signUp(t.url);
  });
  afterAll(() => t.close());

  const postRaw = (body: string, contentType = 'application/json') =>
    fetch(`${t.url}/v1/probe/echo`, {
      method: 'POST',
      headers: { ...session.headers, 'content-type': contentType },
      body,
    });
  const post = (body: unknown) => postRaw(JSON.stringify(body));

  describe('versioning', () => {
    it('serves a versioned route by URI', async () => {
      const res = await fetch(`${t.url}/v1/info`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ apiVersion: '1' });
    });

    it('routes an unversioned path to the default version 1', async () => {
      const res = await fetch(`${t.url}/info`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ apiVersion: '1' });
    });

    it('routes an unversioned path by the X-API-Version header', async () => {
      const res = await fetch(`${t.url}/info`, { headers: { 'x-api-version': '1' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ apiVersion: '1' });
    });

    it('answers an unsupported header version with a 400 problem naming the supported ones', async () => {
      const res = await fetch(`${t.url}/info`, { headers: { 'x-api-version': '7' } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({
        status: 400,
        code: 'HTTP.UNSUPPORTED_API_VERSION',
        instance: '/info',
        detail: expect.stringContaining('supported versions: 1'),
      });
    });

    it('answers an unknown URI version with a 404 problem that says the version does not exist', async () => {
      const res = await fetch(`${t.url}/v7/info`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'HTTP.UNSUPPORTED_API_VERSION', instance: '/v7/info' });
    });

    it('ignores the header on a versioned path (the path wins)', async () => {
      const res = await fetch(`${t.url}/v1/info`, { headers: { 'x-api-version': '7' } });
      expect(res.status).toBe(200);
    });

    it('never rewrites version-neutral routes', async () => {
      const res = await fetch(`${t.url}/health/live`, { headers: { 'x-api-version': '7' } });
      expect(res.status).toBe(200);
      const withQuery = await fetch(`${t.url}/health/live?probe=1`, { headers: { 'x-api-version': '7' } });
      expect(withQuery.status).toBe(200);
      const head = await fetch(`${t.url}/health/live`, { method: 'HEAD', headers: { 'x-api-version': '7' } });
      expect(head.status).toBe(200);
    });

    it('marks answers to unversioned paths Vary: X-API-Version, so caches keep versions apart', async () => {
      const unversioned = await fetch(`${t.url}/info`);
      expect(unversioned.headers.get('vary')).toMatch(/x-api-version/i);
      const versioned = await fetch(`${t.url}/v1/info`);
      expect(versioned.headers.get('vary') ?? '').not.toMatch(/x-api-version/i);
      const neutral = await fetch(`${t.url}/health/live`);
      expect(neutral.headers.get('vary') ?? '').not.toMatch(/x-api-version/i);
    });
  });

  describe('errors as problem+json', () => {
    it('answers invalid input with a 400 problem naming each field and what is wrong with it', async () => {
      const res = await post({ email: 'not-an-email', age: -3, address: { city: 7 }, role: 'admin' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = (await res.json()) as { errors: unknown[]; detail: string };
      expect(body).toMatchObject({
        type: '/problems/validation-failed',
        title: 'Bad Request',
        status: 400,
        code: 'HTTP.VALIDATION_FAILED',
        instance: '/v1/probe/echo',
        requestId: res.headers.get('x-request-id'),
      });
      expect(body.errors).toEqual(
        expect.arrayContaining([
          { field: 'email', messages: ['email must be an email'] },
          { field: 'age', messages: ['age must not be less than 0'] },
          { field: 'address.city', messages: ['city must be a string'] },
          { field: 'role', messages: ['property role should not exist'] },
        ]),
      );
      expect(body.errors).toHaveLength(4);
      expect(body.detail).toBe('Validation failed for 4 fields: role, email, age, address.city');
    });

    it('passes valid input through, transformed to the DTO', async () => {
      const res = await post({ email: 'ada@example.com', age: 36, address: { city: 'London' } });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ email: 'ada@example.com', age: 36, address: { city: 'London' } });
    });

    it('answers malformed JSON with a 400 problem', async () => {
      const res = await postRaw('{"email":');
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ status: 400, code: 'HTTP.BAD_REQUEST' });
    });

    it.each([
      ['application/xml', '<probe/>'],
      ['text/plain', 'probe'],
      // A form post needs no CORS preflight: accepting it would let any web page write here.
      ['application/x-www-form-urlencoded', 'name=probe'],
    ])('answers a %s body with a 415 problem', async (contentType, body) => {
      const res = await postRaw(body, contentType);
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ status: 415, code: 'HTTP.UNSUPPORTED_MEDIA_TYPE' });
    });

    it('answers an unknown route with a 404 problem', async () => {
      const res = await fetch(`${t.url}/v1/does-not-exist?x=1`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = await res.json();
      expect(body).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'No route for GET /v1/does-not-exist',
        instance: '/v1/does-not-exist',
        code: 'HTTP.ROUTE_NOT_FOUND',
        requestId: res.headers.get('x-request-id'),
      });
    });

    it('answers a body over BODY_LIMIT with a 413 problem', async () => {
      const res = await fetch(`${t.url}/v1/info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ padding: 'x'.repeat(4096) }),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({
        status: 413,
        code: 'HTTP.PAYLOAD_TOO_LARGE',
        title: 'Payload Too Large',
      });
    });
  });

  describe('request id', () => {
    it('generates a UUID when none is sent and echoes it', async () => {
      const res = await fetch(`${t.url}/v1/info`);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('accepts a well-formed incoming X-Request-Id', async () => {
      const res = await fetch(`${t.url}/v1/info`, { headers: { 'x-request-id': 'trace-abc-12345' } });
      expect(res.headers.get('x-request-id')).toBe('trace-abc-12345');
    });

    it('replaces a malformed incoming X-Request-Id', async () => {
      const res = await fetch(`${t.url}/v1/info`, { headers: { 'x-request-id': 'bad id with spaces' } });
      expect(res.headers.get('x-request-id')).not.toBe('bad id with spaces');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('reports the time spent in a Server-Timing header', async () => {
      const res = await fetch(`${t.url}/v1/info`);
      expect(res.headers.get('server-timing')).toMatch(/^app;dur=\d+(\.\d)?$/);
    });
  });

  describe('OpenAPI', () => {
    it('serves the document at /docs-json, with a problem+json default response on every operation', async () => {
      const res = await fetch(`${t.url}/docs-json`);
      expect(res.status).toBe(200);
      const document = (await res.json()) as {
        paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
        components: { schemas: Record<string, unknown> };
      };
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/health/live', '/health/ready', '/v1/info']),
      );
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          expect({ path, method, content: Object.keys(operation.responses.default?.content ?? {}) }).toEqual({
            path,
            method,
            content: ['application/problem+json'],
          });
        }
      }
      expect(document.components.schemas).toHaveProperty('ProblemDetails');
    });

    it('serves Swagger UI at /docs', async () => {
      const res = await fetch(`${t.url}/docs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('swagger-ui');
    });
  });
});
