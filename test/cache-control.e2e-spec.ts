import { adminSession, type AuthSession, signUp } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/**
 * Responses carrying users, tasks or tokens must not be kept by a shared cache or the browser's
 * disk: every response is `Cache-Control: no-store` unless its route chose its own caching.
 */
const noStore = (res: Response) => expect(res.headers.get('cache-control')).toBe('no-store');

describe('Cache-Control (e2e)', () => {
  let t: TestApp;
  let user: AuthSession;
  let admin: AuthSession;

  beforeAll(async () => {
    t = await createTestApp({ env: { THROTTLE_LIMIT: '10000', APP_ROLE: 'api' } });
    user = await signUp(t.url);
    admin = await adminSession(t.url, t.databaseUrl);
  });
  afterAll(() => t.close());

  it('GET /v1/users/:id and /v2/users/:id, and the admin list', async () => {
    for (const path of [`/v1/users/${user.userId}`, `/v2/users/${user.userId}`, '/v1/users']) {
      const res = await fetch(`${t.url}${path}`, { headers: path === '/v1/users' ? admin.headers : user.headers });
      expect(res.status).toBe(200);
      noStore(res);
    }
  });

  it('GET /v1/tasks/:id', async () => {
    const submitted = await fetch(`${t.url}/v1/tasks`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'users.summarise', payload: {} }),
    });
    expect(submitted.status).toBe(202);
    noStore(submitted);
    const { id } = (await submitted.json()) as { id: string };

    const res = await fetch(`${t.url}/v1/tasks/${id}`, { headers: admin.headers });
    expect(res.status).toBe(200);
    noStore(res);
  });

  it('POST /v1/auth/login and /v1/auth/signup (token pairs), and GET /v1/auth/me', async () => {
    const login = await fetch(`${t.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(login.status).toBe(200);
    noStore(login);
    const signup = await fetch(`${t.url}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `cache-${Date.now()}@example.com`, name: 'Cache', password: user.password }),
    });
    expect(signup.status).toBe(201);
    noStore(signup);
    noStore(await fetch(`${t.url}/v1/auth/me`, { headers: user.headers }));
  });

  it('error responses too (401, 404)', async () => {
    noStore(await fetch(`${t.url}/v1/users/${user.userId}`));
    noStore(await fetch(`${t.url}/v1/no-such-route`));
  });

  it('keeps the caching a route chose: the JWKS is public for five minutes', async () => {
    const res = await fetch(`${t.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
  });
});
