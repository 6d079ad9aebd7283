import { expectProblem } from '../helpers/problem.js';
import {
  adminSession,
  type AuthSession,
  bearer,
  logIn,
  signUp,
  strongPassword,
  type TokenPairJson,
} from '../helpers/auth.js';
import { readJson, UNKNOWN_ID } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import { AUTH_TEST_ENV, authClient } from './auth-client.js';

interface SessionJson {
  id: string;
  current: boolean;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
}

/** Refresh rotation, reuse detection, logout, the session list, password change and user deletion. */
describe('auth: sessions and tokens', () => {
  let t: TestApp;
  let api: ReturnType<typeof authClient>;

  beforeAll(async () => {
    t = await createTestApp({ env: AUTH_TEST_ENV });
    api = authClient(t.url);
  });
  afterAll(() => t?.close());

  const expectRevoked = async (session: Pick<AuthSession, 'accessToken'>) => {
    const res = await api.me(bearer(session.accessToken));
    await expectProblem(res, 401, 'AUTH.SESSION_REVOKED');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="api", error="invalid_token"/);
  };
  /** Moves the user's token rotations out of AUTH_REFRESH_RACE_WINDOW_MS, as if they were made a while ago. */
  const rotatedLongAgo = (userId: string) =>
    withClient(t.databaseUrl, (db) =>
      db.query(
        `UPDATE auth_refresh_tokens SET rotated_at = rotated_at - interval '1 minute'
         WHERE session_id IN (SELECT id FROM auth_sessions WHERE user_id = $1)`,
        [userId],
      ),
    );
  const sessionsOf = async (headers: Record<string, string>) =>
    (await readJson<{ items: SessionJson[] }>(await api.call('GET', '/v1/auth/sessions', undefined, headers), 200))
      .items;

  describe('POST /v1/auth/refresh', () => {
    it('rotates: a new pair that works, and the old refresh token stops working', async () => {
      const session = await signUp(t.url);
      const next = await readJson<TokenPairJson>(await api.refresh(session.refreshToken), 200);

      expect(next.refreshToken).not.toBe(session.refreshToken);
      expect(next.accessToken).not.toBe(session.accessToken);
      expect((await api.me(bearer(next.accessToken))).status).toBe(200);
      const again = await readJson<TokenPairJson>(await api.refresh(next.refreshToken), 200);
      expect(again.refreshToken).not.toBe(next.refreshToken);
    });

    it('treats a rotated token presented again later as theft: 401 AUTH.REFRESH_REUSED and the whole session revoked', async () => {
      const session = await signUp(t.url);
      const next = await readJson<TokenPairJson>(await api.refresh(session.refreshToken), 200);
      await rotatedLongAgo(session.userId);

      await expectProblem(await api.refresh(session.refreshToken), 401, 'AUTH.REFRESH_REUSED');

      await expectRevoked(next);
      await expectProblem(await api.refresh(next.refreshToken), 401, 'AUTH.REFRESH_INVALID');
    });

    it('lets exactly one of ten concurrent refreshes with one token win; the others get 409 and the winner keeps its pair', async () => {
      const session = await signUp(t.url);
      const answers = await Promise.all(Array.from({ length: 10 }, () => api.refresh(session.refreshToken)));

      const winners = answers.filter((res) => res.status === 200);
      expect(winners).toHaveLength(1);
      for (const loser of answers.filter((res) => res.status !== 200))
        await expectProblem(loser, 409, 'AUTH.REFRESH_RACE');
      const pair = (await winners[0].json()) as TokenPairJson;
      expect((await api.me(bearer(pair.accessToken))).status).toBe(200);
      await readJson(await api.refresh(pair.refreshToken), 200);
    });

    it('refuses unknown and malformed refresh tokens', async () => {
      await expectProblem(await api.refresh('A'.repeat(43)), 401, 'AUTH.REFRESH_INVALID');
      const malformed = await api.refresh('not a token');
      await expectProblem(malformed, 400, 'HTTP.VALIDATION_FAILED');
    });

    it('carries the role as it is now: a promotion reaches the session at its next refresh', async () => {
      const session = await signUp(t.url);
      await expectProblem(
        await api.call('POST', '/v1/users', { email: 'x@example.com', name: 'X' }, session.headers),
        403,
        'AUTH.FORBIDDEN',
      );
      await withClient(t.databaseUrl, (db) =>
        db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [session.userId]),
      );
      const next = await readJson<TokenPairJson>(await api.refresh(session.refreshToken), 200);
      const created = await api.call(
        'POST',
        '/v1/users',
        { email: `p-${Date.now()}@example.com`, name: 'P' },
        bearer(next.accessToken),
      );
      expect(created.status).toBe(201);
    });
  });

  describe('logout', () => {
    it('POST /v1/auth/logout ends this session only: its tokens are refused at once, the others keep working', async () => {
      const first = await signUp(t.url);
      const second = await logIn(t.url, first.email, first.password);

      expect((await api.call('POST', '/v1/auth/logout', undefined, first.headers)).status).toBe(204);

      await expectRevoked(first);
      await expectProblem(await api.refresh(first.refreshToken), 401, 'AUTH.REFRESH_INVALID');
      expect((await api.me(second.headers)).status).toBe(200);
    });

    it('POST /v1/auth/logout-all ends every session of the user', async () => {
      const first = await signUp(t.url);
      const second = await logIn(t.url, first.email, first.password);
      const other = await signUp(t.url);

      expect((await api.call('POST', '/v1/auth/logout-all', undefined, second.headers)).status).toBe(204);

      await expectRevoked(first);
      await expectRevoked(second);
      expect((await api.me(other.headers)).status).toBe(200);
    });

    it('needs a token: anonymous logout is 401', async () => {
      await expectProblem(await api.call('POST', '/v1/auth/logout'), 401, 'AUTH.TOKEN_MISSING');
    });
  });

  describe('GET and DELETE /v1/auth/sessions', () => {
    it('lists my live sessions, the current one marked, with the device and address they came from', async () => {
      const first = await signUp(t.url);
      const second = await readJson<TokenPairJson>(
        await api.logIn(first.email, first.password, { 'user-agent': 'Phone/1.0' }),
        200,
      );

      const items = await sessionsOf(bearer(second.accessToken));
      expect(items).toHaveLength(2);
      expect(items.filter((item) => item.current)).toHaveLength(1);
      expect(items.find((item) => item.current)).toMatchObject({ userAgent: 'Phone/1.0', ip: '127.0.0.1' });
      for (const item of items) expect(Date.parse(item.expiresAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    });

    it("ends one of my sessions by id; another user's session or an unknown id answers 404 and ends nothing", async () => {
      const mine = await signUp(t.url);
      const myPhone = await logIn(t.url, mine.email, mine.password);
      const theirs = await signUp(t.url);
      const [theirSession] = await sessionsOf(theirs.headers);
      const phoneId = (await sessionsOf(myPhone.headers)).find((item) => item.current)!.id;

      await expectProblem(
        await api.call('DELETE', `/v1/auth/sessions/${theirSession.id}`, undefined, mine.headers),
        404,
        'AUTH.SESSION_NOT_FOUND',
      );
      await expectProblem(
        await api.call('DELETE', `/v1/auth/sessions/${UNKNOWN_ID}`, undefined, mine.headers),
        404,
        'AUTH.SESSION_NOT_FOUND',
      );
      expect((await api.me(theirs.headers)).status).toBe(200);

      expect((await api.call('DELETE', `/v1/auth/sessions/${phoneId}`, undefined, mine.headers)).status).toBe(204);
      await expectRevoked(myPhone);
      expect((await sessionsOf(mine.headers)).map((item) => item.id)).not.toContain(phoneId);
    });
  });

  describe('POST /v1/auth/password (change)', () => {
    it('needs the current password, then revokes every other session and keeps this one', async () => {
      const here = await signUp(t.url);
      const elsewhere = await logIn(t.url, here.email, here.password);
      const newPassword = strongPassword();

      await expectProblem(
        await api.call('POST', '/v1/auth/password', { currentPassword: 'not it at all', newPassword }, here.headers),
        403,
        'AUTH.CURRENT_PASSWORD_WRONG',
      );
      expect((await api.me(elsewhere.headers)).status).toBe(200);

      const res = await api.call(
        'POST',
        '/v1/auth/password',
        { currentPassword: here.password, newPassword },
        here.headers,
      );
      expect(res.status).toBe(204);

      await expectRevoked(elsewhere);
      expect((await api.me(here.headers)).status).toBe(200);
      await expectProblem(await api.logIn(here.email, here.password), 401, 'AUTH.INVALID_CREDENTIALS');
      await readJson(await api.logIn(here.email, newPassword), 200);
    });

    it('applies the password rules to the new password, naming newPassword', async () => {
      const session = await signUp(t.url);
      const problem = await expectProblem(
        await api.call(
          'POST',
          '/v1/auth/password',
          { currentPassword: session.password, newPassword: 'password1' },
          session.headers,
        ),
        422,
        'AUTH.PASSWORD_REJECTED',
      );
      expect(problem.errors?.[0].field).toBe('newPassword');
    });
  });

  describe('a deleted user', () => {
    it('loses every session at once', async () => {
      const admin = await adminSession(t.url, t.databaseUrl);
      const doomed = await signUp(t.url);
      expect((await api.call('DELETE', `/v1/users/${doomed.userId}`, undefined, admin.headers)).status).toBe(204);
      await expectRevoked(doomed);
      await expectProblem(await api.refresh(doomed.refreshToken), 401, 'AUTH.REFRESH_INVALID');
    });
  });
});
