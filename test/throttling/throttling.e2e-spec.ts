import { type AuthSession, bearer, signUp, strongPassword, uniqueEmail } from '../helpers/auth.js';
import { expectProblem } from '../helpers/problem.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * An app with the in-memory storage (no REDIS_URL, whatever the shell has) and the budgets
 * under test set small; the others keep test-app's high values unless a test names them.
 * TRUST_PROXY=127.0.0.1 (the test client) lets a test speak from several addresses through
 * X-Forwarded-For.
 */
const startApp = (env: Record<string, string>) =>
  createTestApp({ env: { REDIS_URL: undefined, THROTTLE_TTL_MS: '60000', TRUST_PROXY: '127.0.0.1', ...env } });

const from = (address: string): Record<string, string> => ({ 'x-forwarded-for': address });

async function statuses(requests: (() => Promise<Response>)[]): Promise<number[]> {
  const result: number[] = [];
  for (const request of requests) result.push((await request()).status);
  return result;
}

const ECHO_TASK = { type: 'tasks.echo', payload: { message: 'hi' } };

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT-shaped token naming `userId` as its subject, signed by nobody. */
const forgedTokenFor = (userId: string): string => {
  return `${base64url({ alg: 'EdDSA', typ: 'JWT', kid: 'forged' })}.${base64url({ sub: userId, sid: userId, role: 'admin' })}.${Buffer.from('not a signature').toString('base64url')}`;
};

describe('Rate limiting over HTTP (e2e, in-memory storage)', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.url}${path}`, { headers });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const submit = (session: AuthSession) => () => post('/v1/tasks', ECHO_TASK, session.headers);

  describe('the general budget', () => {
    const LIMIT = 3;

    it('answers the request after the limit with a 429 problem and Retry-After in seconds', async () => {
      t = await startApp({ THROTTLE_LIMIT: String(LIMIT) });
      for (let i = 0; i < LIMIT; i++) {
        const ok = await get('/v1/info');
        expect(ok.status).toBe(200);
        expect(ok.headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
        expect(ok.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - i - 1));
      }

      const res = await get('/v1/info');
      const problem = await expectProblem(res, 429, 'HTTP.TOO_MANY_REQUESTS');
      expect(problem).toMatchObject({ title: 'Too Many Requests', instance: '/v1/info', budget: 'general' });
      // Blocked for the window (60 s), expressed in whole seconds, not milliseconds.
      const retryAfter = res.headers.get('retry-after');
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    });

    it('never throttles /health/live and /health/ready, not even for a blocked client', async () => {
      t = await startApp({ THROTTLE_LIMIT: String(LIMIT) });
      expect(await statuses(Array.from({ length: LIMIT + 1 }, () => () => get('/v1/info')))).toContain(429);

      const probes = Array.from({ length: 3 * LIMIT }, () => [() => get('/health/live'), () => get('/health/ready')]);
      expect(new Set(await statuses(probes.flat()))).toEqual(new Set([200]));
    });

    it('is one budget per signed-in user across all routes, apart from other users and the address', async () => {
      t = await startApp({ THROTTLE_LIMIT: '5' });
      // Two anonymous sign-ups: 2 of the address's 5.
      const [alice, bob] = [await signUp(t.url), await signUp(t.url)];
      const routes = [
        '/v1/auth/me',
        '/v1/auth/sessions',
        `/v1/users/${alice.userId}`,
        '/v1/auth/me',
        '/v1/auth/sessions',
      ];
      const remaining: (string | null)[] = [];
      for (const path of routes) {
        const res = await get(path, alice.headers);
        expect(res.status).toBe(200);
        remaining.push(res.headers.get('x-ratelimit-remaining'));
      }
      expect(remaining).toEqual(['4', '3', '2', '1', '0']);

      const over = await get(`/v1/users/${alice.userId}`, alice.headers);
      expect(await expectProblem(over, 429, 'HTTP.TOO_MANY_REQUESTS')).toMatchObject({ budget: 'general' });
      // Same address, but another principal: its own budget; and the address's own is untouched by alice's.
      expect((await get('/v1/auth/me', bob.headers)).headers.get('x-ratelimit-remaining')).toBe('4');
      expect((await get('/v1/info')).headers.get('x-ratelimit-remaining')).toBe('2');
    });
  });

  describe('named budgets', () => {
    it("'auth': login, sign-up, password reset and email verification share a small budget per address", async () => {
      t = await startApp({ THROTTLE_AUTH_LIMIT: '4' });
      const email = uniqueEmail();
      const attacker = from('198.51.100.7');
      const spent = await statuses([
        () => post('/v1/auth/signup', { email, name: 'A', password: strongPassword() }, attacker),
        () => post('/v1/auth/login', { email, password: 'wrong password here' }, attacker),
        () => post('/v1/auth/password-reset', { email }, attacker),
        () => post('/v1/auth/email-verification/confirm', { token: 'a'.repeat(43) }, attacker),
      ]);
      expect(spent).toEqual([201, 401, 202, 422]);

      const over = await post(
        '/v1/auth/password-reset/confirm',
        { token: 'a'.repeat(43), password: strongPassword() },
        attacker,
      );
      expect(await expectProblem(over, 429, 'HTTP.TOO_MANY_REQUESTS')).toMatchObject({ budget: 'auth' });
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await post('/v1/auth/login', { email, password: 'wrong again' }, attacker)).status).toBe(429);

      // Another address has its own budget; routes without the budget are not affected.
      expect(
        (await post('/v1/auth/login', { email, password: 'wrong password here' }, from('198.51.100.8'))).status,
      ).toBe(401);
      expect((await get('/v1/info', attacker)).status).toBe(200);
    });

    it("'task-submission': POST /v1/tasks has its own budget per user", async () => {
      t = await startApp({ THROTTLE_TASK_SUBMIT_LIMIT: '2' });
      const [alice, bob] = [await signUp(t.url), await signUp(t.url)];

      expect(await statuses([submit(alice), submit(alice)])).toEqual([202, 202]);
      const over = await submit(alice)();
      expect(await expectProblem(over, 429, 'HTTP.TOO_MANY_REQUESTS')).toMatchObject({ budget: 'task-submission' });

      // Reading is the general budget; bob, from the same address, submits on his own budget.
      expect((await get('/v1/tasks?limit=1', alice.headers)).status).toBe(200);
      expect(await statuses([submit(bob)])).toEqual([202]);
    });
  });

  describe('failed authentications', () => {
    it('counts the 401s of an address, then answers it 429 before verifying any token', async () => {
      t = await startApp({ THROTTLE_AUTH_FAILURE_LIMIT: '3' });
      const user = await signUp(t.url);
      const flood = from('203.0.113.66');
      const forged = Array.from(
        { length: 5 },
        (_, i) => () => get('/v1/auth/me', { ...bearer(`forged.token.${i}`), ...flood }),
      );

      expect(await statuses(forged)).toEqual([401, 401, 401, 429, 429]);
      const cutOff = await get('/v1/auth/me', { ...user.headers, ...flood });
      expect(await expectProblem(cutOff, 429, 'HTTP.TOO_MANY_REQUESTS')).toMatchObject({ budget: 'auth-failures' });
      expect(Number(cutOff.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // Public routes answer on their own budgets; other addresses are not cut off.
      expect((await get('/v1/info', flood)).status).toBe(200);
      expect((await get('/v1/auth/me', user.headers)).status).toBe(200);
    });

    it("never spends the budget of the user a forged token names (the unverified 'sub')", async () => {
      t = await startApp({ THROTTLE_LIMIT: '3', THROTTLE_AUTH_FAILURE_LIMIT: '2' });
      const victim = await signUp(t.url);
      const forger = from('203.0.113.99');
      const attack = Array.from(
        { length: 6 },
        () => () => get('/v1/auth/me', { ...bearer(forgedTokenFor(victim.userId)), ...forger }),
      );

      expect(await statuses(attack)).toEqual([401, 401, 429, 429, 429, 429]);
      const res = await get('/v1/auth/me', victim.headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-remaining')).toBe('2');
    });

    it('counts a missing token too, and never a 403 or a success', async () => {
      t = await startApp({ THROTTLE_AUTH_FAILURE_LIMIT: '2' });
      const user = await signUp(t.url);
      const client = from('203.0.113.5');

      expect(
        await statuses(Array.from({ length: 4 }, () => () => get('/v1/auth/me', { ...user.headers, ...client }))),
      ).toEqual([200, 200, 200, 200]);
      // GET /v1/users lists users: admins only, so a 403 for this user.
      expect(
        await statuses(Array.from({ length: 3 }, () => () => get('/v1/users', { ...user.headers, ...client }))),
      ).toEqual([403, 403, 403]);
      expect(await statuses(Array.from({ length: 3 }, () => () => get('/v1/auth/me', client)))).toEqual([
        401, 401, 429,
      ]);
    });
  });
});
