import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('security headers and CORS (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: 'https://app.example.test' } });
  });
  afterAll(() => t.close());

  it.each(['/v1/info', '/v1/missing', '/health/live'])('sends helmet headers on %s', async (path) => {
    const res = await fetch(`${t.url}${path}`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('allows a configured origin, exposing the request id header', async () => {
    const res = await fetch(`${t.url}/v1/info`, { headers: { origin: 'https://app.example.test' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    expect(res.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it('keeps Vary: Origin when the header versioning adds X-API-Version', async () => {
    const res = await fetch(`${t.url}/info`, { headers: { origin: 'https://app.example.test' } });
    const vary = (res.headers.get('vary') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(vary).toEqual(expect.arrayContaining(['origin', 'x-api-version']));
  });

  it('answers a preflight from a configured origin', async () => {
    const res = await fetch(`${t.url}/v1/info`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.test', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
  });

  it('gives no CORS grant to other origins', async () => {
    const res = await fetch(`${t.url}/v1/info`, { headers: { origin: 'https://evil.example.test' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
