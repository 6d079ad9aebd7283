import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeIn, mailTo } from '../auth/auth-client.js';
import { adminSession, type AuthSession, logIn, signUp, uniqueEmail } from '../helpers/auth.js';
import { readJson } from '../helpers/http.js';
import { expectProblem, expectValidationProblem } from '../helpers/problem.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import { USERS_TEST_ENV, type UserV1, type UserV2 } from './users-api.js';

/**
 * Roles change only through the admin route `PUT /v1/users/:id/role`; a change ends the user's
 * sessions before it answers; the last admin can be neither demoted nor deleted, even by two
 * admins demoting each other at the same moment. Also: a changed email must be verified again.
 */
describe('users: roles and re-verification (e2e)', () => {
  let t: TestApp;
  let mailDir: string;
  /** The first admin of the app's database: until the tests add more, the only one. */
  let admin: AuthSession;

  const call = (method: string, path: string, session?: AuthSession, json?: unknown, headers = {}) =>
    fetch(`${t.url}${path}`, {
      method,
      headers: {
        ...session?.headers,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  const putRole = (userId: string, role: unknown, session: AuthSession | undefined = admin, headers = {}) =>
    call('PUT', `/v1/users/${userId}/role`, session, { role }, headers);
  const me = (session: AuthSession) => call('GET', '/v1/auth/me', session);
  const adminCount = () =>
    withClient(t.databaseUrl, async (db) => {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
      return rows[0].n;
    });

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'users-roles-mail-'));
    t = await createTestApp({ env: { ...USERS_TEST_ENV, MAIL_DIR: mailDir, QUEUE_PREFIX: 'users_roles' } });
    admin = await adminSession(t.url, t.databaseUrl);
  });
  afterAll(async () => {
    await t?.close();
    await rm(mailDir, { recursive: true, force: true });
  });

  describe('the last admin', () => {
    it('cannot demote itself: 409 USERS.LAST_ADMIN, and stays admin with its session', async () => {
      expect(await adminCount()).toBe(1);

      const problem = await expectProblem(await putRole(admin.userId, 'user'), 409, 'USERS.LAST_ADMIN');

      expect(problem.detail).toContain('last admin');
      expect((await readJson<{ role: string }>(await me(admin), 200)).role).toBe('admin');
    });

    it('cannot be deleted, by itself or anyone: 409 USERS.LAST_ADMIN', async () => {
      await expectProblem(await call('DELETE', `/v1/users/${admin.userId}`, admin), 409, 'USERS.LAST_ADMIN');
      expect((await me(admin)).status).toBe(200);
    });
  });

  describe('PUT /v1/users/:id/role', () => {
    it('promotes a user: 200 with the user and its ETag; the old token is refused at once', async () => {
      const user = await signUp(t.url);

      const res = await putRole(user.userId, 'admin');

      expect(res.headers.get('etag')).toBe('"2"');
      expect(await readJson<UserV1>(res, 200)).toEqual({
        id: user.userId,
        email: user.email,
        name: 'Test User',
        role: 'admin',
      });
      await expectProblem(await me(user), 401, 'AUTH.SESSION_REVOKED');
      await expectProblem(
        await call('POST', '/v1/auth/refresh', undefined, { refreshToken: user.refreshToken }),
        401,
        'AUTH.REFRESH_INVALID',
      );
      const again = await logIn(t.url, user.email, user.password);
      expect((await call('GET', '/v1/users', again)).status).toBe(200);
    });

    it('demotes an admin: every session of it ends before the answer, so its admin token is refused at once', async () => {
      const demoted = await adminSession(t.url, t.databaseUrl);
      const otherDevice = await logIn(t.url, demoted.email, demoted.password);
      expect((await call('GET', '/v1/users', demoted)).status).toBe(200);

      expect((await readJson<UserV1>(await putRole(demoted.userId, 'user'), 200)).role).toBe('user');

      await expectProblem(await call('GET', '/v1/users', demoted), 401, 'AUTH.SESSION_REVOKED');
      await expectProblem(await me(otherDevice), 401, 'AUTH.SESSION_REVOKED');
      const fresh = await logIn(t.url, demoted.email, demoted.password);
      await expectProblem(await call('GET', '/v1/users', fresh), 403, 'AUTH.FORBIDDEN');
      expect((await readJson<{ role: string }>(await me(fresh), 200)).role).toBe('user');
    });

    it('lets an admin demote itself while another admin remains', async () => {
      const leaving = await adminSession(t.url, t.databaseUrl);

      expect((await readJson<UserV1>(await putRole(leaving.userId, 'user', leaving), 200)).role).toBe('user');
      await expectProblem(await me(leaving), 401, 'AUTH.SESSION_REVOKED');
    });

    it('changes nothing and ends no session when the user has the role already', async () => {
      const user = await signUp(t.url);

      const res = await putRole(user.userId, 'user');

      expect(res.headers.get('etag')).toBe('"1"');
      expect((await readJson<UserV1>(res, 200)).role).toBe('user');
      expect((await me(user)).status).toBe(200);
    });

    it('applies If-Match: 412 on a stale version', async () => {
      const user = await signUp(t.url);
      await expectProblem(
        await putRole(user.userId, 'admin', admin, { 'if-match': '"7"' }),
        412,
        'USERS.VERSION_MISMATCH',
      );
      expect(
        (await readJson<UserV1>(await putRole(user.userId, 'admin', admin, { 'if-match': '"1"' }), 200)).role,
      ).toBe('admin');
    });

    it('is for admins only: a user cannot promote itself (403), nor anyone (401 without a token)', async () => {
      const user = await signUp(t.url);

      await expectProblem(await putRole(user.userId, 'admin', user), 403, 'AUTH.FORBIDDEN');
      await expectProblem(
        await call('PUT', `/v1/users/${user.userId}/role`, undefined, { role: 'admin' }),
        401,
        'AUTH.TOKEN_MISSING',
      );
      expect((await readJson<{ role: string }>(await me(user), 200)).role).toBe('user');
    });

    it.each([
      ['an unknown role', { role: 'root' }, ['role']],
      ['no role', {}, ['role']],
      ['an extra field', { role: 'admin', email: 'x@example.com' }, ['email']],
    ])('refuses %s with 400 naming the field', async (_, body, fields) => {
      const user = await signUp(t.url);
      await expectValidationProblem(await call('PUT', `/v1/users/${user.userId}/role`, admin, body), fields);
    });

    it('answers 404 for an unknown user', async () => {
      await expectProblem(await putRole('01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0', 'admin'), 404, 'USERS.NOT_FOUND');
    });
  });

  describe('PATCH /v1/users/:id', () => {
    it('refuses role with 400, for the user itself and for an admin, and changes nothing', async () => {
      const user = await signUp(t.url);
      for (const session of [user, admin])
        await expectValidationProblem(
          await call('PATCH', `/v1/users/${user.userId}`, session, { name: 'Still User', role: 'admin' }),
          ['role'],
        );
      expect((await readJson<{ role: string; name: string }>(await me(user), 200)).role).toBe('user');
    });
  });

  describe('deleting a user', () => {
    it("ends the user's sessions: its token answers 401 at once", async () => {
      const user = await signUp(t.url);

      expect((await call('DELETE', `/v1/users/${user.userId}`, admin)).status).toBe(204);

      await expectProblem(await me(user), 401, 'AUTH.SESSION_REVOKED');
    });

    it('deletes an admin while another admin remains', async () => {
      const other = await adminSession(t.url, t.databaseUrl);
      expect((await call('DELETE', `/v1/users/${other.userId}`, admin)).status).toBe(204);
    });
  });

  it('two admins demoting each other at the same moment leave one admin, never none', async () => {
    for (let round = 0; round < 5; round += 1) {
      const [a, b] = [await adminSession(t.url, t.databaseUrl), await adminSession(t.url, t.databaseUrl)];
      // Only a and b are admins now (the others keep their tokens, which do not count).
      await withClient(t.databaseUrl, (db) =>
        db.query(`UPDATE users SET role = 'user' WHERE role = 'admin' AND id <> ALL($1::uuid[])`, [
          [a.userId, b.userId],
        ]),
      );

      const [byA, byB] = await Promise.all([putRole(b.userId, 'user', a), putRole(a.userId, 'user', b)]);

      const statuses = [byA.status, byB.status].sort();
      // The loser either waited for the winner's lock and found itself counting the last admin
      // (409), or came after the winner had already ended its session (401).
      expect([
        [200, 409],
        [200, 401],
      ]).toContainEqual(statuses);
      expect(await adminCount()).toBe(1);
      await withClient(t.databaseUrl, (db) =>
        db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [admin.userId]),
      );
    }
  });

  describe('listing and searching users', () => {
    it.each(['/v1/users', '/v2/users'])(
      '%s with email or q is for admins: 401 anonymous, 403 even for the user searched',
      async (path) => {
        const user = await signUp(t.url, { name: 'Searchable Person' });
        for (const query of [
          `email=${encodeURIComponent(user.email)}`,
          'q=Searchable',
          `q=${user.email.split('@')[0]}`,
        ]) {
          await expectProblem(await call('GET', `${path}?${query}`), 401, 'AUTH.TOKEN_MISSING');
          const refused = await expectProblem(await call('GET', `${path}?${query}`, user), 403, 'AUTH.FORBIDDEN');
          expect(JSON.stringify(refused)).not.toContain(user.userId);
          const page = await readJson<{ items: { id: string }[] }>(await call('GET', `${path}?${query}`, admin), 200);
          expect(page.items.map((item) => item.id)).toContain(user.userId);
        }
      },
    );
  });

  describe('changing the email', () => {
    it('makes the address unverified again and mails a code to the new address', async () => {
      const user = await signUp(t.url);
      const confirm = (token: string) => call('POST', '/v1/auth/email-verification/confirm', undefined, { token });
      expect((await confirm(codeIn(await mailTo(mailDir, 'email_verification', user.email)))).status).toBe(204);
      const verified = await readJson<UserV2>(await call('GET', `/v2/users/${user.userId}`, user), 200);
      expect(verified).toMatchObject({ email: user.email, emailVerified: true });
      const newEmail = uniqueEmail('moved');

      const patched = await call('PATCH', `/v1/users/${user.userId}`, user, { email: newEmail });

      expect((await readJson<UserV1>(patched, 200)).email).toBe(newEmail);
      expect(await readJson<UserV2>(await call('GET', `/v2/users/${user.userId}`, user), 200)).toMatchObject({
        email: newEmail,
        emailVerified: false,
      });
      expect(await readJson<{ emailVerifiedAt: string | null }>(await me(user), 200)).toMatchObject({
        email: newEmail,
        emailVerifiedAt: null,
      });
      const code = codeIn(await mailTo(mailDir, 'email_verification', newEmail));
      expect((await confirm(code)).status).toBe(204);
      expect(await readJson<UserV2>(await call('GET', `/v2/users/${user.userId}`, user), 200)).toMatchObject({
        emailVerified: true,
      });
    });
  });
});
