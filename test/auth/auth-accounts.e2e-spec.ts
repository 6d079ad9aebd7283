import { hash } from '@node-rs/argon2';
import { expectProblem, expectValidationProblem, fieldsOf } from '../helpers/problem.js';
import { adminSession, bearer, signUp, strongPassword, uniqueEmail } from '../helpers/auth.js';
import { readJson } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait-for.js';
import { AUTH_TEST_ENV, authClient } from './auth-client.js';

/** Sign-up, passwords, login and its brute-force limits, through the real HTTP pipeline and PostgreSQL. */
describe('auth: accounts and passwords', () => {
  let t: TestApp;
  let api: ReturnType<typeof authClient>;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    withClient(t.databaseUrl, async (db) => (await db.query(text, params)).rows as T[]);

  beforeAll(async () => {
    t = await createTestApp({ env: AUTH_TEST_ENV });
    api = authClient(t.url);
  });
  afterAll(() => t?.close());

  describe('POST /v1/auth/signup', () => {
    it('creates the user and its credential and answers 201 with the user and a token pair that works', async () => {
      const email = uniqueEmail('ada');
      const res = await api.signUp({ email: ` ${email.toUpperCase()} `, name: ' Ada ', password: strongPassword() });
      const body = await readJson<Record<string, unknown> & { user: { id: string }; accessToken: string }>(res, 201);

      expect(body).toEqual({
        user: { id: expect.any(String), email, name: 'Ada', role: 'user', emailVerifiedAt: null },
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        refreshToken: expect.stringMatching(/^[\w-]{43}$/),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      const me = await readJson<{ id: string }>(await api.me(bearer(body.accessToken)), 200);
      expect(me.id).toBe(body.user.id);
      expect(await sql('SELECT user_id FROM auth_credentials WHERE user_id = $1', [body.user.id])).toHaveLength(1);
    });

    it('stores an argon2id hash with the configured cost (OWASP minimum: 19 MiB, t=2, p=1), never the password', async () => {
      const password = strongPassword();
      const session = await signUp(t.url, { password });
      const [row] = await sql<{ password_hash: string }>(
        'SELECT password_hash FROM auth_credentials WHERE user_id = $1',
        [session.userId],
      );
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.password_hash).not.toContain(password);
    });

    it('keeps user and credential in one transaction: when the credential cannot be stored, no user is left', async () => {
      const email = uniqueEmail('half');
      await sql(`CREATE FUNCTION refuse_credential() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION 'credential store is down'; END $$`);
      await sql(`CREATE TRIGGER refuse_credential BEFORE INSERT ON auth_credentials
                 FOR EACH ROW EXECUTE FUNCTION refuse_credential()`);
      try {
        const res = await api.signUp({ email, name: 'Half', password: strongPassword() });
        await expectProblem(res, 500, 'INTERNAL');
      } finally {
        await sql('DROP TRIGGER refuse_credential ON auth_credentials; DROP FUNCTION refuse_credential()');
      }
      expect(await sql('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
      // And the email is free: the same sign-up now succeeds.
      await signUp(t.url, { email });
    });

    it('refuses an email in use (409) and stores no second credential', async () => {
      const first = await signUp(t.url);
      const res = await api.signUp({ email: first.email, name: 'Again', password: strongPassword() });
      await expectProblem(res, 409, 'USERS.EMAIL_TAKEN');
      expect(await sql('SELECT count(*)::int AS n FROM auth_credentials')).toEqual([
        { n: (await sql<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0].n },
      ]);
    });

    it.each([
      ['7 characters', 'tz8#kq2', 'must be at least 8 characters'],
      ['129 characters', 'q'.repeat(129), 'must be at most 128 characters'],
      ['a common password', 'iloveyou1', 'is one of the most common passwords'],
    ])('refuses a password of %s with 422 AUTH.PASSWORD_REJECTED naming the field', async (_, password, reason) => {
      const email = uniqueEmail('weak');
      const problem = await expectProblem(
        await api.signUp({ email, name: 'Weak', password }),
        422,
        'AUTH.PASSWORD_REJECTED',
      );
      expect(problem.errors).toEqual([{ field: 'password', messages: [expect.stringContaining(reason)] }]);
      expect(await sql('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
    });

    it("refuses the user's own email as password", async () => {
      const email = uniqueEmail('self');
      const problem = await expectProblem(
        await api.signUp({ email, name: 'Self', password: email.toUpperCase() }),
        422,
        'AUTH.PASSWORD_REJECTED',
      );
      expect(problem.detail).toBe('password must not be your email address');
    });

    it('refuses a megabyte password at validation (400), before anything is hashed', async () => {
      const res = await api.signUp({ email: uniqueEmail(), name: 'Big', password: 'x'.repeat(900_000) });
      await expectValidationProblem(res, ['password']);
    });

    it('refuses an email holding a lone surrogate with 400 naming the field, on sign-up, login and POST /v1/users', async () => {
      const email = 'ada\ud800@example.com';
      await expectValidationProblem(await api.signUp({ email, name: 'Ada', password: strongPassword() }), ['email']);
      await expectValidationProblem(await api.logIn(email, strongPassword()), ['email']);
      const admin = await adminSession(t.url, t.databaseUrl);
      await expectValidationProblem(await api.call('POST', '/v1/users', { email, name: 'Ada' }, admin.headers), [
        'email',
      ]);
    });

    it('refuses a password holding a lone surrogate (it would hash as U+FFFD, like any other one) on sign-up and login', async () => {
      const password = 'long enough \ud800 password';
      await expectValidationProblem(await api.signUp({ email: uniqueEmail(), name: 'Ada', password }), ['password']);
      await expectValidationProblem(await api.logIn(uniqueEmail(), password), ['password']);
    });

    it('names every invalid field of a sign-up', async () => {
      const problem = await expectValidationProblem(await api.signUp({ email: 'nope', name: '', password: 42 }), [
        'email',
        'name',
        'password',
      ]);
      expect(fieldsOf(problem)).toEqual(['email', 'name', 'password']);
    });
  });

  describe('POST /v1/auth/login', () => {
    it('answers a token pair for the right password, in its NFKC form too', async () => {
      const session = await signUp(t.url, { password: 'ｆｕｌｌ ｗｉｄｔｈ ｈｏｒｓｅ' });
      const res = await api.logIn(session.email.toUpperCase(), 'full width horse');
      const pair = await readJson<{ accessToken: string; tokenType: string }>(res, 200);
      expect(pair.tokenType).toBe('Bearer');
      expect((await api.me(bearer(pair.accessToken))).status).toBe(200);
    });

    it('gives an unknown email and a wrong password the same 401 problem, with a Bearer challenge', async () => {
      const session = await signUp(t.url);
      const wrongPassword = await api.logIn(session.email, 'not the password at all');
      const unknownEmail = await api.logIn(uniqueEmail('nobody'), 'not the password at all');

      const [a, b] = [
        await expectProblem(wrongPassword, 401, 'AUTH.INVALID_CREDENTIALS'),
        await expectProblem(unknownEmail, 401, 'AUTH.INVALID_CREDENTIALS'),
      ];
      const { requestId: _a, ...first } = a;
      const { requestId: _b, ...second } = b;
      expect(first).toEqual(second);
      expect(wrongPassword.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      expect(unknownEmail.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    });

    it('upgrades a hash made with older parameters at the next successful login', async () => {
      const session = await signUp(t.url);
      const weaker = await hash(session.password.normalize('NFKC'), { memoryCost: 4096, timeCost: 1, parallelism: 1 });
      await sql('UPDATE auth_credentials SET password_hash = $2 WHERE user_id = $1', [session.userId, weaker]);

      await readJson(await api.logIn(session.email, session.password), 200);

      const [row] = await sql<{ password_hash: string }>(
        'SELECT password_hash FROM auth_credentials WHERE user_id = $1',
        [session.userId],
      );
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await readJson(await api.logIn(session.email, session.password), 200);
    });

    it('after 5 failures for one account within the window, answers 429 with Retry-After, even to the right password', async () => {
      const session = await signUp(t.url);
      for (let attempt = 1; attempt <= 5; attempt += 1)
        await expectProblem(await api.logIn(session.email, `wrong guess ${attempt}`), 401, 'AUTH.INVALID_CREDENTIALS');

      const blocked = await api.logIn(session.email, session.password);
      await expectProblem(blocked, 429, 'AUTH.TOO_MANY_FAILURES');
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);

      // Once the failures are older than the window, the right password works again.
      await sql(`UPDATE auth_login_failures SET failed_at = failed_at - interval '16 minutes'`);
      await readJson(await api.logIn(session.email, session.password), 200);
    });

    it('after 20 failures from one address across accounts, answers 429 to that address', async () => {
      await sql('DELETE FROM auth_login_failures');
      const victim = await signUp(t.url);
      for (let attempt = 1; attempt <= 20; attempt += 1)
        await expectProblem(
          await api.logIn(uniqueEmail(`spray${attempt}`), 'Winter2024!'),
          401,
          'AUTH.INVALID_CREDENTIALS',
        );

      await expectProblem(await api.logIn(victim.email, victim.password), 429, 'AUTH.TOO_MANY_FAILURES');
      await sql('DELETE FROM auth_login_failures');
    });

    it('a successful login forgets the account failures before the limit', async () => {
      const session = await signUp(t.url);
      for (let attempt = 1; attempt <= 4; attempt += 1) await api.logIn(session.email, `wrong ${attempt}`);
      await readJson(await api.logIn(session.email, session.password), 200);
      for (let attempt = 1; attempt <= 4; attempt += 1)
        await expectProblem(await api.logIn(session.email, `wrong again ${attempt}`), 401, 'AUTH.INVALID_CREDENTIALS');
      await readJson(await api.logIn(session.email, session.password), 200);
      await sql('DELETE FROM auth_login_failures');
    });
  });

  describe('POST /v1/users (users for others)', () => {
    it('is refused anonymously (401), to a plain user (403), and works for an admin (201)', async () => {
      const body = { email: uniqueEmail('created'), name: 'Created' };
      const anonymous = await api.call('POST', '/v1/users', body);
      await expectProblem(anonymous, 401, 'AUTH.TOKEN_MISSING');
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="api"');

      const user = await signUp(t.url);
      await expectProblem(await api.call('POST', '/v1/users', body, user.headers), 403, 'AUTH.FORBIDDEN');

      const admin = await adminSession(t.url, t.databaseUrl);
      await readJson(await api.call('POST', '/v1/users', body, admin.headers), 201);
    });
  });

  describe('logs', () => {
    it('carry the user id on the request line, and never a password or a token', async () => {
      const password = strongPassword();
      const session = await signUp(t.url, { password });
      const me = await api.me(session.headers);
      const requestId = me.headers.get('x-request-id')!;
      await readJson(me, 200);
      await api.refresh(session.refreshToken);

      await new Promise((resolve) => setTimeout(resolve, 50));
      const completed = t.logs.forRequest(requestId).find((line) => line.msg === 'request completed');
      expect(completed).toMatchObject({ userId: session.userId });
      const everything = JSON.stringify(t.logs.lines);
      expect(everything).not.toContain(password);
      expect(everything).not.toContain(session.accessToken);
      expect(everything).not.toContain(session.refreshToken);
    });

    it("carry the submitting user's id on every line of a task the request started, on the worker too", async () => {
      const session = await signUp(t.url);
      const res = await api.call(
        'POST',
        '/v1/tasks',
        { type: 'tasks.echo', payload: { message: 'hi' } },
        session.headers,
      );
      const { id } = await readJson<{ id: string }>(res, 202);

      const lines = await waitFor(
        `the lines of task ${id}`,
        () => t.logs.lines.filter((line) => line.taskId === id),
        (found) => found.some((line) => line.msg === 'Attempt 1 succeeded'),
      );
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) expect(line).toMatchObject({ userId: session.userId });
    });
  });
});
