import { UNKNOWN_ID } from '../helpers/http.js';
import { expectProblem, PROBLEM_CONTENT_TYPE } from '../helpers/problem.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import type { AuthSession } from '../helpers/auth.js';
import {
  adminUsersApi,
  JSON_CONTENT_TYPE,
  uniqueTag,
  type UserPageV1,
  type UserPageV2,
  type UsersApi,
  USERS_TEST_ENV,
  type UserV1,
  type UserV2,
} from './users-api.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The v2 body `user` must have, timestamps aside. */
const v2Of = (user: UserV1, version = 1) => ({
  id: user.id,
  email: user.email,
  displayName: user.name,
  role: user.role,
  emailVerified: false,
  createdAt: expect.stringMatching(ISO_INSTANT),
  updatedAt: expect.stringMatching(ISO_INSTANT),
  version,
  _links: { self: { href: `/v2/users/${user.id}` } },
});

/** Exactly the v1 fields, in the v1 order. */
const plain = ({ id, email, name, role }: UserV1) => ({ id, email, name, role });

describe('users API versions (e2e)', () => {
  let t: TestApp;
  let api: UsersApi;
  let ada: UserV1;
  let admin: AuthSession;

  beforeAll(async () => {
    t = await createTestApp({ env: USERS_TEST_ENV });
    ({ api, admin } = await adminUsersApi(t));
    ada = await api.register('  Ada@Example.com ', ' Ada Lovelace ');
  });
  afterAll(() => t.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, { headers: { ...admin.headers, ...headers } });

  describe('GET /v2/users/:id', () => {
    it('answers the v2 representation with the ETag', async () => {
      const res = await api.getV2(ada.id);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(JSON_CONTENT_TYPE);
      expect(res.headers.get('etag')).toBe('"1"');
      const body = (await res.json()) as UserV2;
      expect(body).toEqual(v2Of(ada));
      expect(Object.keys(body)).toEqual([
        'id',
        'email',
        'displayName',
        'role',
        'emailVerified',
        'createdAt',
        'updatedAt',
        'version',
        '_links',
      ]);
      expect(body).not.toHaveProperty('name');
      expect(body.updatedAt).toBe(body.createdAt);
      expect(Math.abs(Date.parse(body.createdAt) - Date.now())).toBeLessThan(60_000);
    });

    it('follows changes: version, ETag and updatedAt move together, createdAt stays', async () => {
      const user = await api.register(`${uniqueTag('v2change')}@example.com`, 'Before');
      const before = (await (await api.getV2(user.id)).json()) as UserV2;
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await api.patch(user.id, { name: 'After' }, '"1"')).status).toBe(200);

      const res = await api.getV2(user.id);
      expect(res.headers.get('etag')).toBe('"2"');
      const after = (await res.json()) as UserV2;
      expect(after).toEqual(v2Of({ ...user, name: 'After' }, 2));
      expect(after.createdAt).toBe(before.createdAt);
      expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    });

    it('answers an unknown id with 404 USERS.NOT_FOUND and a malformed one with 400 naming id', async () => {
      await expectProblem(await api.getV2(UNKNOWN_ID), 404, 'USERS.NOT_FOUND');
      const problem = await expectProblem(await api.getV2('nope'), 400, 'HTTP.VALIDATION_FAILED');
      expect(problem.errors?.map((error) => error.field)).toEqual(['id']);
    });
  });

  describe('version selection on unversioned paths', () => {
    it('serves v2 for GET /users/:id with X-API-Version: 2', async () => {
      const res = await get(`/users/${ada.id}`, { 'x-api-version': '2' });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"1"');
      const viaHeader = await res.json();
      expect(viaHeader).toEqual(v2Of(ada));
      expect(viaHeader).toEqual(await (await api.getV2(ada.id)).json());
    });

    it('accepts the header as v2 too', async () => {
      const res = await get(`/users/${ada.id}`, { 'x-api-version': 'v2' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(v2Of(ada));
    });

    it('serves v1 without the header, and with X-API-Version: 1', async () => {
      const variants: Record<string, string>[] = [{}, { 'x-api-version': '1' }];
      for (const headers of variants) {
        const res = await get(`/users/${ada.id}`, headers);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(JSON.stringify(ada));
      }
    });

    it('lets the version in the path win over the header', async () => {
      const v1 = await get(`/v1/users/${ada.id}`, { 'x-api-version': '2' });
      expect(await v1.json()).toEqual(ada);
      const v2 = await get(`/v2/users/${ada.id}`, { 'x-api-version': '1' });
      expect(await v2.json()).toEqual(v2Of(ada));
    });

    it.each(['9', 'abc', '0'])(
      'answers X-API-Version: %s with a 400 problem HTTP.UNSUPPORTED_API_VERSION listing 1 and 2',
      async (version) => {
        const res = await get(`/users/${ada.id}`, { 'x-api-version': version });
        const problem = await expectProblem(res, 400, 'HTTP.UNSUPPORTED_API_VERSION');
        expect(problem).toMatchObject({ type: '/problems/unsupported-api-version', instance: `/users/${ada.id}` });
        expect(problem.detail).toContain('supported versions: 1, 2');
      },
    );

    it('answers GET /v9/users/:id with a 404 problem HTTP.UNSUPPORTED_API_VERSION', async () => {
      const res = await get(`/v9/users/${ada.id}`);
      const problem = await expectProblem(res, 404, 'HTTP.UNSUPPORTED_API_VERSION');
      expect(problem).toMatchObject({ instance: `/v9/users/${ada.id}` });
      expect(problem.detail).toContain('supported versions: 1, 2');
    });

    it('reports the path the client used as the instance of a header-versioned error', async () => {
      const problem = await expectProblem(
        await get(`/users/${UNKNOWN_ID}`, { 'x-api-version': '2' }),
        404,
        'USERS.NOT_FOUND',
      );
      expect(problem.instance).toBe(`/users/${UNKNOWN_ID}`);
    });

    it('serves the v2 list on GET /users with X-API-Version: 2', async () => {
      const res = await get(`/users?email=${encodeURIComponent(ada.email)}`, { 'x-api-version': '2' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as UserPageV2).items).toEqual([v2Of(ada)]);
    });
  });

  describe('GET /v2/users', () => {
    it('answers {items, _links} with v2 items and a next link while there are more', async () => {
      const tag = uniqueTag('v2list');
      const users: UserV1[] = [];
      for (let index = 0; index < 5; index += 1)
        users.push(await api.register(`${tag}-${index}@example.com`, `${tag} ${index}`));

      const pages: UserPageV2[] = [];
      let href: string | undefined = `/v2/users?limit=2&q=${tag}`;
      while (href !== undefined) {
        const res = await get(href);
        expect(res.status).toBe(200);
        const page = (await res.json()) as UserPageV2;
        expect(Object.keys(page)).toEqual(['items', '_links']);
        expect(page._links.self.href).toMatch(/^\/v2\/users\?/);
        pages.push(page);
        href = page._links.next?.href;
        if (pages.length > 10) throw new Error('pagination does not end');
      }
      expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
      expect(pages.map((page) => page._links.next === undefined)).toEqual([false, false, true]);
      expect(pages.flatMap((page) => page.items)).toEqual(users.map((user) => v2Of(user)));

      // The self link of a page reproduces it; the next link of one is the self link of the next.
      for (const [index, page] of pages.entries()) {
        expect(await (await get(page._links.self.href)).json()).toEqual(page);
        if (index > 0) expect(page._links.self.href).toBe(pages[index - 1]._links.next!.href);
      }
      const self = new URLSearchParams(pages[0]._links.self.href.split('?')[1]);
      expect(Object.fromEntries(self)).toEqual({ limit: '2', q: tag });
    });

    it('validates its query like v1', async () => {
      for (const query of ['limit=101', 'limit=0', 'cursor=garbage', 'sort=name']) {
        const res = await get(`/v2/users?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.headers.get('content-type')).toMatch(PROBLEM_CONTENT_TYPE);
      }
    });
  });

  describe('v1 stays byte for byte what it was', () => {
    it('GET /v1/users/:id is exactly {id,email,name,role} in that order', async () => {
      const res = await api.get(ada.id);
      expect(await res.text()).toBe(
        JSON.stringify({ id: ada.id, email: 'ada@example.com', name: 'Ada Lovelace', role: 'user' }),
      );
    });

    it('a v1 list page is exactly {"items":[...],"nextCursor":...}', async () => {
      const tag = uniqueTag('bytes');
      const users: UserV1[] = [];
      for (let index = 0; index < 3; index += 1)
        users.push(await api.register(`${tag}-${index}@example.com`, `${tag} ${index}`));

      const first = await api.list({ q: tag, limit: '2' });
      const firstText = await first.text();
      const cursor = (JSON.parse(firstText) as UserPageV1).nextCursor;
      expect(cursor).toEqual(expect.any(String));
      expect(firstText).toBe(JSON.stringify({ items: users.slice(0, 2).map(plain), nextCursor: cursor }));

      const last = await api.list({ q: tag, limit: '2', cursor: cursor! });
      expect(await last.text()).toBe(JSON.stringify({ items: [plain(users[2])], nextCursor: null }));
    });

    it('POST and PATCH answer v1 bodies', async () => {
      const email = `${uniqueTag('v1write')}@example.com`;
      const created = await api.post({ email, name: 'Writer' });
      const user = (await created.clone().json()) as UserV1;
      expect(await created.text()).toBe(JSON.stringify({ id: user.id, email, name: 'Writer', role: 'user' }));
      const patched = await api.patch(user.id, { name: 'Rewriter' });
      expect(await patched.text()).toBe(JSON.stringify({ id: user.id, email, name: 'Rewriter', role: 'user' }));
    });
  });

  describe('writes are v1 only', () => {
    it('answers POST /v2/users with a 404 problem and creates nothing', async () => {
      const email = `${uniqueTag('v2post')}@example.com`;
      const res = await fetch(`${t.url}/v2/users`, {
        method: 'POST',
        headers: { ...admin.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ email, name: 'Nobody' }),
      });
      await expectProblem(res, 404, 'HTTP.ROUTE_NOT_FOUND');
      expect(((await (await api.list({ email })).json()) as UserPageV1).items).toEqual([]);
    });

    it('answers POST /users with X-API-Version: 2 with a 404 problem, and creates the user without it', async () => {
      const email = `${uniqueTag('hdrpost')}@example.com`;
      const init = (headers: Record<string, string>) => ({
        method: 'POST',
        headers: { ...admin.headers, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email, name: 'Header' }),
      });
      await expectProblem(await fetch(`${t.url}/users`, init({ 'x-api-version': '2' })), 404, 'HTTP.ROUTE_NOT_FOUND');
      const res = await fetch(`${t.url}/users`, init({}));
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toMatch(/^\/v1\/users\//);
    });

    it('answers PATCH and DELETE on /v2/users/:id with 404 problems and leaves the user alone', async () => {
      const user = await api.register(`${uniqueTag('v2write')}@example.com`, 'Untouched');
      const patch = await fetch(`${t.url}/v2/users/${user.id}`, {
        method: 'PATCH',
        headers: { ...admin.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Touched' }),
      });
      await expectProblem(patch, 404, 'HTTP.ROUTE_NOT_FOUND');
      await expectProblem(
        await fetch(`${t.url}/v2/users/${user.id}`, { method: 'DELETE', headers: admin.headers }),
        404,
        'HTTP.ROUTE_NOT_FOUND',
      );
      expect(await api.current(user.id)).toEqual({ user, etag: '"1"' });
    });
  });
});
