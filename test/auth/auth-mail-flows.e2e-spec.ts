import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectProblem } from '../helpers/problem.js';
import { adminSession, bearer, signUp, strongPassword, uniqueEmail } from '../helpers/auth.js';
import { readJson } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import { AUTH_TEST_ENV, authClient, codeIn, mailTo } from './auth-client.js';

/** Password reset and email verification, end to end through the tasks, the worker and the file mailer. */
describe('auth: password reset and email verification', () => {
  let t: TestApp;
  let api: ReturnType<typeof authClient>;
  let mailDir: string;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    withClient(t.databaseUrl, async (db) => (await db.query(text, params)).rows as T[]);

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'auth-mail-'));
    t = await createTestApp({ env: { ...AUTH_TEST_ENV, MAIL_DIR: mailDir, QUEUE_PREFIX: 'auth_mail' } });
    api = authClient(t.url);
  });
  afterAll(async () => {
    await t?.close();
    await rm(mailDir, { recursive: true, force: true });
  });

  const requestReset = (email: string) => api.call('POST', '/v1/auth/password-reset', { email });
  const confirmReset = (token: string, password: string) =>
    api.call('POST', '/v1/auth/password-reset/confirm', { token, password });
  const confirmEmail = (token: string) => api.call('POST', '/v1/auth/email-verification/confirm', { token });

  describe('password reset', () => {
    it('answers 202 for an unknown email too, and sends nothing', async () => {
      const email = uniqueEmail('ghost');
      expect((await requestReset(email)).status).toBe(202);
      await sleep(500);
      const sent = (await readdir(mailDir)).filter((name) => name.startsWith('password_reset'));
      const [{ n }] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM tasks WHERE type = 'auth.send-password-reset'`,
      );
      expect({ sent: sent.length, tasks: n }).toEqual({ sent: 0, tasks: 0 });
    });

    it('mails a single-use code that sets the password, revokes every session and works once only', async () => {
      const session = await signUp(t.url);
      expect((await requestReset(session.email)).status).toBe(202);
      const code = codeIn(await mailTo(mailDir, 'password_reset', session.email));
      const newPassword = strongPassword();

      expect((await confirmReset(code, newPassword)).status).toBe(204);

      await expectProblem(await api.me(session.headers), 401, 'AUTH.SESSION_REVOKED');
      await expectProblem(await api.logIn(session.email, session.password), 401, 'AUTH.INVALID_CREDENTIALS');
      await readJson(await api.logIn(session.email, newPassword), 200);
      await expectProblem(await confirmReset(code, strongPassword()), 422, 'AUTH.CODE_INVALID');
    });

    it('unblocks an account that failed logins had blocked', async () => {
      const session = await signUp(t.url);
      for (let attempt = 1; attempt <= 5; attempt += 1) await api.logIn(session.email, `wrong ${attempt}`);
      await expectProblem(await api.logIn(session.email, session.password), 429, 'AUTH.TOO_MANY_FAILURES');

      await requestReset(session.email);
      const newPassword = strongPassword();
      expect(
        (await confirmReset(codeIn(await mailTo(mailDir, 'password_reset', session.email)), newPassword)).status,
      ).toBe(204);

      await readJson(await api.logIn(session.email, newPassword), 200);
    });

    it('keeps the code out of the task row, its result and the logs, and stores only its hash', async () => {
      const session = await signUp(t.url);
      await requestReset(session.email);
      const code = codeIn(await mailTo(mailDir, 'password_reset', session.email));
      const tasks = await sql(`SELECT payload, result, error FROM tasks WHERE type = 'auth.send-password-reset'`);
      const tokens = await sql<{ token_hash: Buffer }>(`SELECT token_hash FROM auth_one_time_tokens`);

      expect(JSON.stringify(tasks)).not.toContain(code);
      expect(JSON.stringify(t.logs.lines)).not.toContain(code);
      expect(tokens.some((row) => row.token_hash.toString('base64url') === code)).toBe(false);
    });

    it('sends at most one reset mail per account in 5 minutes, however often it is asked', async () => {
      const session = await signUp(t.url);
      for (let request = 0; request < 5; request += 1) expect((await requestReset(session.email)).status).toBe(202);
      await mailTo(mailDir, 'password_reset', session.email);
      await sleep(500);
      const [{ n }] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM tasks WHERE type = 'auth.send-password-reset' AND payload->>'userId' = $1`,
        [session.userId],
      );
      expect(n).toBe(1);
    });

    it('refuses an expired code, and a rejected password leaves the code usable', async () => {
      const expired = await signUp(t.url);
      await requestReset(expired.email);
      const expiredCode = codeIn(await mailTo(mailDir, 'password_reset', expired.email));
      await sql(`UPDATE auth_one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
        expired.userId,
      ]);
      await expectProblem(await confirmReset(expiredCode, strongPassword()), 422, 'AUTH.CODE_INVALID');

      const picky = await signUp(t.url);
      await requestReset(picky.email);
      const code = codeIn(await mailTo(mailDir, 'password_reset', picky.email));
      const problem = await expectProblem(await confirmReset(code, 'password1'), 422, 'AUTH.PASSWORD_REJECTED');
      expect(problem.errors?.[0].field).toBe('password');
      expect((await confirmReset(code, strongPassword())).status).toBe(204);
    });

    it('refuses a code of the wrong shape at validation', async () => {
      await expectProblem(await confirmReset('short', strongPassword()), 400, 'HTTP.VALIDATION_FAILED');
    });
  });

  describe('email verification', () => {
    it('mails a code on sign-up; confirming it marks the address verified, once', async () => {
      const session = await signUp(t.url);
      const mail = await mailTo(mailDir, 'email_verification', session.email);
      expect(mail).not.toContain('Test User');

      expect((await confirmEmail(codeIn(mail))).status).toBe(204);

      const me = await readJson<{ emailVerifiedAt: string | null }>(await api.me(session.headers), 200);
      expect(Date.parse(me.emailVerifiedAt!)).toBeGreaterThan(Date.now() - 60_000);
      await expectProblem(await confirmEmail(codeIn(mail)), 422, 'AUTH.CODE_INVALID');
    });

    it('a changed email is unverified again and gets its own code; the old address code no longer proves anything', async () => {
      const admin = await adminSession(t.url, t.databaseUrl);
      const session = await signUp(t.url);
      const oldCode = codeIn(await mailTo(mailDir, 'email_verification', session.email));
      const newEmail = uniqueEmail('moved');

      const patched = await api.call('PATCH', `/v1/users/${session.userId}`, { email: newEmail }, admin.headers);
      expect(patched.status).toBe(200);

      await expectProblem(await confirmEmail(oldCode), 422, 'AUTH.CODE_INVALID');
      const newCode = codeIn(await mailTo(mailDir, 'email_verification', newEmail));
      expect((await confirmEmail(newCode)).status).toBe(204);
      const me = await readJson<{ email: string; emailVerifiedAt: string | null }>(await api.me(session.headers), 200);
      expect(me).toMatchObject({ email: newEmail, emailVerifiedAt: expect.any(String) });
    });

    it('POST /v1/auth/email-verification sends a new code on request (authenticated only)', async () => {
      await expectProblem(await api.call('POST', '/v1/auth/email-verification'), 401, 'AUTH.TOKEN_MISSING');
      const session = await signUp(t.url);
      await mailTo(mailDir, 'email_verification', session.email);
      expect(
        (await api.call('POST', '/v1/auth/email-verification', undefined, bearer(session.accessToken))).status,
      ).toBe(202);
      const second = await mailTo(mailDir, 'email_verification', session.email, 2);
      expect((await confirmEmail(codeIn(second))).status).toBe(204);
    });
  });

  it('the welcome mail names no one: a name chosen at sign-up never reaches an unverified address', async () => {
    const session = await signUp(t.url, { name: 'Click https://evil.example to claim your prize' });
    const mail = await mailTo(mailDir, 'welcome', session.email);
    expect(mail).not.toContain('evil.example');
  });
});
