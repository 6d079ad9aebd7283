import { expectProblem } from '../helpers/problem.js';
import { adminSession, type AuthSession, signUp, uniqueEmail } from '../helpers/auth.js';
import { readJson, UNKNOWN_ID } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { AUTH_TEST_ENV, authClient } from './auth-client.js';

/**
 * Who may touch a user record now that callers have identities: the user itself and admins.
 * Without this, any signed-up user could change an admin's email and then reset its password
 * through the new address.
 */
describe('auth: access to users', () => {
  let t: TestApp;
  let api: ReturnType<typeof authClient>;
  let admin: AuthSession;
  let owner: AuthSession;
  let stranger: AuthSession;

  beforeAll(async () => {
    t = await createTestApp({ env: AUTH_TEST_ENV });
    api = authClient(t.url);
    admin = await adminSession(t.url, t.databaseUrl);
    owner = await signUp(t.url);
    stranger = await signUp(t.url);
  });
  afterAll(() => t?.close());

  it.each(['/v1/users', '/v2/users'])('lists users (%s) for admins only', async (path) => {
    await expectProblem(await api.call('GET', path), 401, 'AUTH.TOKEN_MISSING');
    await expectProblem(await api.call('GET', path, undefined, owner.headers), 403, 'AUTH.FORBIDDEN');
    expect((await api.call('GET', path, undefined, admin.headers)).status).toBe(200);
  });

  it('lets a user and admins read the user; anyone else gets what an unknown id gets', async () => {
    for (const path of [`/v1/users/${owner.userId}`, `/v2/users/${owner.userId}`]) {
      expect((await api.call('GET', path, undefined, owner.headers)).status).toBe(200);
      expect((await api.call('GET', path, undefined, admin.headers)).status).toBe(200);
      await expectProblem(await api.call('GET', path), 401, 'AUTH.TOKEN_MISSING');
    }
    for (const version of ['v1', 'v2']) {
      const other = await expectProblem(
        await api.call('GET', `/${version}/users/${owner.userId}`, undefined, stranger.headers),
        404,
        'USERS.NOT_FOUND',
      );
      const unknown = await expectProblem(
        await api.call('GET', `/${version}/users/${UNKNOWN_ID}`, undefined, stranger.headers),
        404,
        'USERS.NOT_FOUND',
      );
      expect({ ...other, detail: other.detail.replace(owner.userId, 'ID'), instance: '', requestId: '' }).toEqual({
        ...unknown,
        detail: unknown.detail.replace(UNKNOWN_ID, 'ID'),
        instance: '',
        requestId: '',
      });
    }
  });

  it("refuses another user's change of email (the takeover path) and delete, and keeps the record as it was", async () => {
    await expectProblem(
      await api.call('PATCH', `/v1/users/${admin.userId}`, { email: uniqueEmail('mallory') }, stranger.headers),
      404,
      'USERS.NOT_FOUND',
    );
    await expectProblem(
      await api.call('DELETE', `/v1/users/${owner.userId}`, undefined, stranger.headers),
      404,
      'USERS.NOT_FOUND',
    );

    const adminNow = await readJson<{ email: string }>(await api.me(admin.headers), 200);
    expect(adminNow.email).toBe(admin.email);
    expect((await api.me(owner.headers)).status).toBe(200);
  });

  it('lets a user change and delete itself, and an admin anyone', async () => {
    const renamed = await api.call('PATCH', `/v1/users/${owner.userId}`, { name: 'Renamed' }, owner.headers);
    expect(await readJson<{ name: string }>(renamed, 200)).toMatchObject({ name: 'Renamed' });
    const byAdmin = await api.call('PATCH', `/v1/users/${owner.userId}`, { name: 'By Admin' }, admin.headers);
    expect(await readJson<{ name: string }>(byAdmin, 200)).toMatchObject({ name: 'By Admin' });

    const leaving = await signUp(t.url);
    expect((await api.call('DELETE', `/v1/users/${leaving.userId}`, undefined, leaving.headers)).status).toBe(204);
    await expectProblem(await api.me(leaving.headers), 401, 'AUTH.SESSION_REVOKED');
    const removed = await signUp(t.url);
    expect((await api.call('DELETE', `/v1/users/${removed.userId}`, undefined, admin.headers)).status).toBe(204);
  });
});
