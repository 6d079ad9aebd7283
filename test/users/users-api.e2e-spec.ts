import { readJson, UNKNOWN_ID, UUID_V7 } from '../helpers/http.js';
import { expectProblem, expectValidationProblem, PROBLEM_CONTENT_TYPE, type Problem } from '../helpers/problem.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import type { AuthSession } from '../helpers/auth.js';
import {
  adminUsersApi,
  JSON_CONTENT_TYPE,
  uniqueTag,
  type UserPageV1,
  type UsersApi,
  USERS_TEST_ENV,
  type UserV1,
} from './users-api.js';

describe('users API v1 (e2e)', () => {
  let t: TestApp;
  let api: UsersApi;
  let admin: AuthSession;

  beforeAll(async () => {
    t = await createTestApp({ env: USERS_TEST_ENV });
    ({ api, admin } = await adminUsersApi(t));
  });
  afterAll(() => t.close());

  /** Registers `count` users whose names carry `tag`, so `q=tag` finds exactly them. */
  async function registerTagged(tag: string, count: number): Promise<UserV1[]> {
    const users: UserV1[] = [];
    for (let index = 0; index < count; index += 1)
      users.push(await api.register(`${tag}-${index}@example.com`, `Member ${tag} ${index}`));
    return users;
  }

  /** Follows `nextCursor` from the first page to the last. */
  async function walk(query: Record<string, string>): Promise<{ pages: UserPageV1[] }> {
    const pages: UserPageV1[] = [];
    let cursor: string | null = null;
    do {
      const res = await api.list(cursor === null ? query : { ...query, cursor });
      const page = await readJson<UserPageV1>(res, 200);
      pages.push(page);
      cursor = page.nextCursor;
      if (pages.length > 50) throw new Error('pagination does not end');
    } while (cursor !== null);
    return { pages };
  }

  describe('POST /v1/users', () => {
    it('creates a user: 201, Location, ETag "1", body exactly {id,email,name,role}', async () => {
      const res = await api.post({ email: '  Ada.Lovelace@Example.COM ', name: '  Ada Lovelace  ' });
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toMatch(JSON_CONTENT_TYPE);
      const body = (await res.json()) as UserV1;
      expect(body).toEqual({
        id: expect.any(String),
        email: 'ada.lovelace@example.com',
        name: 'Ada Lovelace',
        role: 'user',
      });
      expect(Object.keys(body)).toEqual(['id', 'email', 'name', 'role']);
      expect(body.id).toMatch(UUID_V7);
      expect(res.headers.get('location')).toBe(`/v1/users/${body.id}`);
      expect(res.headers.get('etag')).toBe('"1"');

      const read = await fetch(`${t.url}${res.headers.get('location')}`, { headers: admin.headers });
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual(body);
    });

    it('gives every user a new UUID v7, in creation order', async () => {
      const tag = uniqueTag('order');
      const ids: string[] = [];
      for (let index = 0; index < 3; index += 1)
        ids.push((await api.register(`${tag}-${index}@example.com`, `Order ${index}`)).id);
      for (const id of ids) expect(id).toMatch(UUID_V7);
      expect(new Set(ids).size).toBe(3);
      expect([...ids].sort()).toEqual(ids);
    });

    it('accepts a name of exactly 100 characters after trimming', async () => {
      const name = 'n'.repeat(100);
      const res = await api.post({ email: `${uniqueTag('long')}@example.com`, name: `  ${name}  ` });
      expect(res.status).toBe(201);
      expect(((await res.json()) as UserV1).name).toBe(name);
    });

    it.each([
      ['missing email', { name: 'Ada' }, ['email']],
      ['invalid email', { email: 'not-an-email', name: 'Ada' }, ['email']],
      ['email that is not a string', { email: 42, name: 'Ada' }, ['email']],
      ['email over 254 characters', { email: `${'a'.repeat(64)}@${'b'.repeat(190)}.com`, name: 'Ada' }, ['email']],
      ['missing name', { email: 'missing-name@example.com' }, ['name']],
      ['empty name', { email: 'empty-name@example.com', name: '' }, ['name']],
      ['whitespace-only name', { email: 'blank-name@example.com', name: ' \t  ' }, ['name']],
      ['101-character name', { email: 'long-name@example.com', name: 'n'.repeat(101) }, ['name']],
      ['name that is not a string', { email: 'numeric-name@example.com', name: 7 }, ['name']],
      ['both fields invalid', { email: 'nope', name: '   ' }, ['email', 'name']],
      ['empty object', {}, ['email', 'name']],
      ['role given', { email: 'wants-admin@example.com', name: 'Mallory', role: 'admin' }, ['role']],
      ['id given', { id: UNKNOWN_ID, email: 'own-id@example.com', name: 'Eve' }, ['id']],
    ])('rejects %s with a 400 problem naming the fields', async (_case, body, fields) => {
      const res = await api.post(body);
      const problem = await expectValidationProblem(res, fields);
      expect(problem.instance).toBe('/v1/users');
    });

    it('stores nothing for a rejected body (role given)', async () => {
      await expectValidationProblem(
        await api.post({ email: 'sneaky-admin@example.com', name: 'Sneaky', role: 'admin' }),
        ['role'],
      );
      const page = (await (await api.list({ email: 'sneaky-admin@example.com' })).json()) as UserPageV1;
      expect(page.items).toEqual([]);
    });

    it('rejects a body that is not JSON with a 400 problem', async () => {
      const res = await api.call('POST', '/v1/users', {
        body: '{"email": "ada@example.com", "name":',
        headers: { 'content-type': 'application/json' },
      });
      await expectProblem(res, 400, 'HTTP.BAD_REQUEST');
    });

    it('rejects a JSON body that is not an object with a 400 problem', async () => {
      for (const body of ['[]', '"ada@example.com"', 'null', '42']) {
        const res = await api.call('POST', '/v1/users', { body, headers: { 'content-type': 'application/json' } });
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.headers.get('content-type')).toMatch(PROBLEM_CONTENT_TYPE);
      }
    });

    it('rejects a body in another content type with a 415 problem', async () => {
      const res = await api.call('POST', '/v1/users', {
        body: '<user><email>ada@example.com</email><name>Ada</name></user>',
        headers: { 'content-type': 'application/xml' },
      });
      await expectProblem(res, 415, 'HTTP.UNSUPPORTED_MEDIA_TYPE');
    });

    // The aggregate's email rule is stricter than @IsEmail (no whitespace anywhere): the DTO must
    // reject what the aggregate would, so the client gets the documented 400 and not a 422.
    it('rejects an email the aggregate refuses with a 400, not a 422 (quoted local part with a space)', async () => {
      const res = await api.post({ email: '"john doe"@example.com', name: 'John' });
      await expectValidationProblem(res, ['email']);
    });

    // PostgreSQL refuses NUL in text; the API must refuse it as bad input before it gets there.
    it('rejects a name containing a NUL character with a 400 problem naming name, not a 500', async () => {
      const res = await api.post({ email: `${uniqueTag('nul')}@example.com`, name: 'Ada\u0000Lovelace' });
      await expectValidationProblem(res, ['name']);
    });

    it('refuses a second user with the same email in another case: 409 USERS.EMAIL_TAKEN', async () => {
      const first = await api.register('grace@example.com', 'Grace Hopper');
      const res = await api.post({ email: ' GRACE@Example.com ', name: 'Another Grace' });
      const problem = await expectProblem(res, 409, 'USERS.EMAIL_TAKEN');
      expect(problem).toMatchObject({ type: '/problems/users-email-taken', instance: '/v1/users' });
      expect(res.headers.get('location')).toBeNull();

      const page = (await (await api.list({ email: 'grace@example.com' })).json()) as UserPageV1;
      expect(page.items).toEqual([first]);
    });

    it('lets exactly one of 20 concurrent registrations of one email win; the others get 409', async () => {
      const email = `${uniqueTag('race')}@example.com`;
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          api.post({ email: index % 2 ? email.toUpperCase() : email, name: `Racer ${index}` }),
        ),
      );
      const statuses = responses.map((res) => res.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(19);
      const bodies = await Promise.all(responses.map((res) => res.json() as Promise<UserV1 & Problem>));
      const winner = bodies[statuses.indexOf(201)];
      for (const [index, body] of bodies.entries())
        if (statuses[index] === 409) expect(body.code).toBe('USERS.EMAIL_TAKEN');

      const page = (await (await api.list({ email })).json()) as UserPageV1;
      expect(page.items).toEqual([winner]);
    });
  });

  describe('GET /v1/users/:id', () => {
    it('answers 200 with the user and its ETag', async () => {
      const user = await api.register('get-me@example.com', 'Get Me');
      const res = await api.get(user.id);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(JSON_CONTENT_TYPE);
      expect(res.headers.get('etag')).toBe('"1"');
      expect(await res.json()).toEqual(user);
    });

    it('answers an unknown id with a 404 problem USERS.NOT_FOUND', async () => {
      const res = await api.get(UNKNOWN_ID);
      const problem = await expectProblem(res, 404, 'USERS.NOT_FOUND');
      expect(problem).toMatchObject({ type: '/problems/users-not-found', instance: `/v1/users/${UNKNOWN_ID}` });
      expect(problem.detail).toContain(UNKNOWN_ID);
    });

    it.each(['nope', '123', `${UNKNOWN_ID}0`, UNKNOWN_ID.replaceAll('-', '')])(
      'answers a malformed id (%s) with a 400 problem naming id',
      async (id) => {
        await expectValidationProblem(await api.get(id), ['id']);
      },
    );
  });

  describe('conditional GET (If-None-Match)', () => {
    it('answers 304 without a body while the ETag still matches, weak or strong, alone or in a list', async () => {
      const user = await api.register('cached@example.com', 'Cached');
      for (const ifNoneMatch of ['"1"', 'W/"1"', '"7", "1"', '*']) {
        const res = await api.get(user.id, { 'if-none-match': ifNoneMatch });
        expect({ ifNoneMatch, status: res.status }).toEqual({ ifNoneMatch, status: 304 });
        expect(res.headers.get('etag')).toBe('"1"');
        expect(res.headers.get('content-length')).toBeNull();
        expect(await res.text()).toBe('');
      }
    });

    it('answers 200 with the new representation once the user has changed', async () => {
      const user = await api.register('cached-then-changed@example.com', 'Before');
      expect((await api.patch(user.id, { name: 'After' })).status).toBe(200);

      const res = await api.get(user.id, { 'if-none-match': '"1"' });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"2"');
      expect(await res.json()).toMatchObject({ name: 'After' });
    });

    it('never turns an error into a 304', async () => {
      await expectProblem(await api.get(UNKNOWN_ID, { 'if-none-match': '*' }), 404, 'USERS.NOT_FOUND');
    });
  });

  describe('GET /v1/users', () => {
    it('answers 200 with {items, nextCursor}, 20 items by default', async () => {
      const tag = uniqueTag('deflt');
      const users = await registerTagged(tag, 23);
      const res = await api.list({ q: tag });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(JSON_CONTENT_TYPE);
      const page = (await res.json()) as UserPageV1;
      expect(Object.keys(page)).toEqual(['items', 'nextCursor']);
      expect(page.items).toEqual(users.slice(0, 20));
      expect(page.nextCursor).toEqual(expect.any(String));

      const rest = (await (await api.list({ q: tag, cursor: page.nextCursor! })).json()) as UserPageV1;
      expect(rest).toEqual({ items: users.slice(20), nextCursor: null });
    });

    it('accepts limit=100 and limit=1', async () => {
      expect((await api.list({ limit: '100' })).status).toBe(200);
      const one = (await (await api.list({ limit: '1' })).json()) as UserPageV1;
      expect(one.items).toHaveLength(1);
      expect(one.nextCursor).toEqual(expect.any(String));
    });

    it.each(['101', '0', '-1', 'abc', '1.5', ''])('rejects limit=%s with a 400 problem naming limit', async (limit) => {
      await expectValidationProblem(await api.list({ limit }), ['limit']);
    });

    it('walks every page with limit=2: each user exactly once, ids ascending, nextCursor null at the end', async () => {
      const tag = uniqueTag('walk');
      const users = await registerTagged(tag, 5);
      const { pages } = await walk({ q: tag, limit: '2' });
      expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
      expect(pages.map((page) => page.nextCursor === null)).toEqual([false, false, true]);
      const seen = pages.flatMap((page) => page.items);
      expect(seen).toEqual(users);
      const ids = seen.map((user) => user.id);
      expect([...ids].sort()).toEqual(ids);
    });

    it('ends without an empty page when the count is a multiple of the limit', async () => {
      const tag = uniqueTag('even');
      const users = await registerTagged(tag, 4);
      const { pages } = await walk({ q: tag, limit: '2' });
      expect(pages).toEqual([
        { items: users.slice(0, 2), nextCursor: expect.any(String) },
        { items: users.slice(2), nextCursor: null },
      ]);
    });

    it('walks the whole unfiltered list: every user exactly once, ids strictly ascending', async () => {
      const tag = uniqueTag('all');
      const mine = await registerTagged(tag, 3);
      const { pages } = await walk({ limit: '7' });
      const ids = pages.flatMap((page) => page.items.map((user) => user.id));
      expect(new Set(ids).size).toBe(ids.length);
      for (let index = 1; index < ids.length; index += 1) expect(ids[index] > ids[index - 1]).toBe(true);
      for (const user of mine) expect(ids).toContain(user.id);
    });

    it('keeps pages stable when users are added behind the cursor', async () => {
      const tag = uniqueTag('stable');
      const users = await registerTagged(tag, 3);
      const first = (await (await api.list({ q: tag, limit: '2' })).json()) as UserPageV1;
      const late = await api.register(`${tag}-late@example.com`, `Member ${tag} late`);
      const second = (await (await api.list({ q: tag, limit: '2', cursor: first.nextCursor! })).json()) as UserPageV1;
      expect(first.items).toEqual(users.slice(0, 2));
      expect(second).toEqual({ items: [users[2], late], nextCursor: null });
    });

    it.each([
      ['not base64url', 'not a cursor!'],
      ['random text', 'garbage'],
      ['base64url without the cursor prefix', Buffer.from('x:whatever').toString('base64url')],
    ])('rejects a garbage cursor (%s) with a 400 problem naming cursor', async (_case, cursor) => {
      await expectValidationProblem(await api.list({ cursor }), ['cursor']);
    });

    // Made like a real cursor, but its key is not a user id: the same 400 as any other bad
    // cursor (it was a 500 when the key reached PostgreSQL's uuid comparison).
    it('rejects a forged cursor whose key is not a user id with a 400 problem naming cursor', async () => {
      const cursor = Buffer.from('k:not-a-uuid').toString('base64url');
      await expectValidationProblem(await api.list({ cursor }), ['cursor']);
    });

    it('filters by email, in any case', async () => {
      const user = await api.register('Filter.Me@Example.com', 'Filter Me');
      await api.register('filter.me.not@example.com', 'Filter Me Not');
      for (const email of ['filter.me@example.com', 'FILTER.ME@EXAMPLE.COM', ' Filter.Me@example.com ']) {
        const res = await api.list({ email });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ items: [user], nextCursor: null });
      }
      expect(await (await api.list({ email: 'nobody@example.com' })).json()).toEqual({ items: [], nextCursor: null });
    });

    it('rejects an email filter that is not an email with a 400 problem naming email', async () => {
      await expectValidationProblem(await api.list({ email: 'not-an-email' }), ['email']);
    });

    it('searches names and emails case-insensitively with q', async () => {
      const tag = uniqueTag('srch');
      const byName = await api.register(`${tag}-one@example.com`, `Zebulon ${tag}`);
      const byEmail = await api.register(`zebediah-${tag}@example.org`, `Someone Else`);
      const other = await api.register(`${tag}-two@example.net`, 'Nobody');

      const names = (await (await api.list({ q: `ZEBULON ${tag.toUpperCase()}` })).json()) as UserPageV1;
      expect(names.items).toEqual([byName]);

      const emails = (await (await api.list({ q: `ZEBEDIAH-${tag.toUpperCase()}@EXAMPLE.ORG` })).json()) as UserPageV1;
      expect(emails.items).toEqual([byEmail]);

      const both = (await (await api.list({ q: tag.toUpperCase() })).json()) as UserPageV1;
      expect(both.items).toEqual([byName, byEmail, other]);
    });

    it('matches % and _ in q literally, not as wildcards', async () => {
      const tag = uniqueTag('lit');
      const percent = await api.register(`${tag}-pct@example.com`, `${tag} 100% sure`);
      await api.register(`${tag}-plain@example.com`, `${tag} 1000 sure`);
      const underscore = await api.register(`${tag}_under@example.com`, `${tag} under`);

      const pct = (await (await api.list({ q: `${tag} 100%` })).json()) as UserPageV1;
      expect(pct.items).toEqual([percent]);
      const und = (await (await api.list({ q: `${tag}_` })).json()) as UserPageV1;
      expect(und.items).toEqual([underscore]);
    });

    it('rejects a q containing a NUL character with a 400 problem naming q, not a 500', async () => {
      await expectValidationProblem(await api.list({ q: 'a\u0000b' }), ['q']);
    });

    it('rejects an empty or over-long q with a 400 problem naming q', async () => {
      await expectValidationProblem(await api.list({ q: '   ' }), ['q']);
      await expectValidationProblem(await api.list({ q: 'x'.repeat(101) }), ['q']);
    });

    it('rejects an unknown query parameter with a 400 problem naming it', async () => {
      await expectValidationProblem(await api.list({ sort: 'name' }), ['sort']);
    });
  });

  describe('PATCH /v1/users/:id', () => {
    it('applies a change when If-Match is the current ETag: 200, new ETag "2"', async () => {
      const user = await api.register(`${uniqueTag('patch')}@example.com`, 'Before');
      const newEmail = `${uniqueTag('moved')}@example.com`;
      const res = await api.patch(user.id, { name: '  After  ', email: `  ${newEmail.toUpperCase()} ` }, '"1"');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(JSON_CONTENT_TYPE);
      expect(res.headers.get('etag')).toBe('"2"');
      const body = (await res.json()) as UserV1;
      expect(body).toEqual({ id: user.id, email: newEmail, name: 'After', role: 'user' });
      expect(Object.keys(body)).toEqual(['id', 'email', 'name', 'role']);
      expect(await api.current(user.id)).toEqual({ user: body, etag: '"2"' });
    });

    it('changes only the fields given', async () => {
      const user = await api.register(`${uniqueTag('partial')}@example.com`, 'Partial');
      const res = await api.patch(user.id, { name: 'Renamed' }, '"1"');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ...user, name: 'Renamed' });
    });

    it('keeps the version when nothing changes', async () => {
      const user = await api.register(`${uniqueTag('noop')}@example.com`, 'Same');
      const res = await api.patch(user.id, { name: ' Same ', email: user.email.toUpperCase() }, '"1"');
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"1"');
      expect(await res.json()).toEqual(user);
    });

    it('refuses a stale If-Match with 412 USERS.VERSION_MISMATCH and leaves the user unchanged', async () => {
      const user = await api.register(`${uniqueTag('stale')}@example.com`, 'Original');
      expect((await api.patch(user.id, { name: 'Second' }, '"1"')).status).toBe(200);

      const res = await api.patch(user.id, { name: 'Lost update' }, '"1"');
      const problem = await expectProblem(res, 412, 'USERS.VERSION_MISMATCH');
      expect(problem).toMatchObject({ type: '/problems/users-version-mismatch', instance: `/v1/users/${user.id}` });
      expect(await api.current(user.id)).toEqual({ user: { ...user, name: 'Second' }, etag: '"2"' });
    });

    it('refuses an If-Match from the future with 412', async () => {
      const user = await api.register(`${uniqueTag('future')}@example.com`, 'Now');
      await expectProblem(await api.patch(user.id, { name: 'Later' }, '"7"'), 412, 'USERS.VERSION_MISMATCH');
      expect(await api.current(user.id)).toEqual({ user, etag: '"1"' });
    });

    it.each(['W/"2"', '"2", "3"', '2', 'garbage'])(
      'refuses If-Match %s, which can never match strongly, with 412 and leaves the user unchanged',
      async (ifMatch) => {
        const user = await api.register(`${uniqueTag('weak')}@example.com`, 'Weak');
        expect((await api.patch(user.id, { name: 'Two' }, '"1"')).status).toBe(200);
        await expectProblem(await api.patch(user.id, { name: 'Three' }, ifMatch), 412, 'HTTP.PRECONDITION_FAILED');
        expect(await api.current(user.id)).toEqual({ user: { ...user, name: 'Two' }, etag: '"2"' });
      },
    );

    it("applies a change with If-Match '*'", async () => {
      const user = await api.register(`${uniqueTag('star')}@example.com`, 'Star');
      await api.patch(user.id, { name: 'Star 2' });
      const res = await api.patch(user.id, { name: 'Star 3' }, '*');
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"3"');
      expect(await res.json()).toEqual({ ...user, name: 'Star 3' });
    });

    it('applies a change without If-Match', async () => {
      const user = await api.register(`${uniqueTag('uncond')}@example.com`, 'Unconditional');
      const res = await api.patch(user.id, { name: 'Changed' });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"2"');
      expect(await api.current(user.id)).toEqual({ user: { ...user, name: 'Changed' }, etag: '"2"' });
    });

    it('lets exactly one of 10 concurrent changes based on the same version win; the others get 412', async () => {
      const user = await api.register(`${uniqueTag('cas')}@example.com`, 'Contended');
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, index) => api.patch(user.id, { name: `Writer ${index}` }, '"1"')),
      );
      const statuses = responses.map((res) => res.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(9);
      const winner = (await responses[statuses.indexOf(200)].json()) as UserV1;
      expect(await api.current(user.id)).toEqual({ user: winner, etag: '"2"' });
    });

    it('lets exactly one of two users racing to the same free email get it; the other gets 409', async () => {
      const email = `${uniqueTag('contested')}@example.com`;
      const one = await api.register(`${uniqueTag('racer-a')}@example.com`, 'Racer A');
      const two = await api.register(`${uniqueTag('racer-b')}@example.com`, 'Racer B');
      const responses = await Promise.all([
        api.patch(one.id, { email }),
        api.patch(two.id, { email: email.toUpperCase() }),
      ]);
      expect(responses.map((res) => res.status).sort()).toEqual([200, 409]);
      const page = (await (await api.list({ email })).json()) as UserPageV1;
      expect(page.items).toHaveLength(1);
      expect([one.id, two.id]).toContain(page.items[0].id);
    });

    it('refuses an email taken by another user (any case) with 409 and leaves the user unchanged', async () => {
      const taken = await api.register(`${uniqueTag('taken')}@example.com`, 'Owner');
      const user = await api.register(`${uniqueTag('mover')}@example.com`, 'Mover');
      const res = await api.patch(user.id, { email: taken.email.toUpperCase(), name: 'Mover Renamed' }, '"1"');
      await expectProblem(res, 409, 'USERS.EMAIL_TAKEN');
      expect(await api.current(user.id)).toEqual({ user, etag: '"1"' });
      expect(await api.current(taken.id)).toEqual({ user: taken, etag: '"1"' });
    });

    it.each([
      ['invalid email', { email: 'nope' }, ['email']],
      ['empty name', { name: '' }, ['name']],
      ['whitespace-only name', { name: '   ' }, ['name']],
      ['101-character name', { name: 'n'.repeat(101) }, ['name']],
      ['null name', { name: null }, ['name']],
      ['null email', { email: null }, ['email']],
      ['both invalid', { email: 'nope', name: '' }, ['email', 'name']],
      ['role', { role: 'admin' }, ['role']],
      ['version', { version: 9 }, ['version']],
    ])('rejects %s with a 400 problem naming the fields and leaves the user unchanged', async (_case, body, fields) => {
      const user = await api.register(`${uniqueTag('badpatch')}@example.com`, 'Unchanged');
      await expectValidationProblem(await api.patch(user.id, body, '"1"'), fields);
      expect(await api.current(user.id)).toEqual({ user, etag: '"1"' });
    });

    it('answers an unknown id with a 404 problem', async () => {
      await expectProblem(await api.patch(UNKNOWN_ID, { name: 'Ghost' }), 404, 'USERS.NOT_FOUND');
      await expectProblem(await api.patch(UNKNOWN_ID, { name: 'Ghost' }, '"1"'), 404, 'USERS.NOT_FOUND');
    });

    it('answers a malformed id with a 400 problem naming id', async () => {
      await expectValidationProblem(await api.patch('nope', { name: 'Ghost' }), ['id']);
    });
  });

  describe('DELETE /v1/users/:id', () => {
    it('deletes: 204 with an empty body, then GET and a second DELETE answer 404', async () => {
      const user = await api.register(`${uniqueTag('del')}@example.com`, 'Doomed');
      const res = await api.remove(user.id);
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');

      await expectProblem(await api.get(user.id), 404, 'USERS.NOT_FOUND');
      await expectProblem(await api.remove(user.id), 404, 'USERS.NOT_FOUND');
      const page = (await (await api.list({ email: user.email })).json()) as UserPageV1;
      expect(page.items).toEqual([]);
    });

    it('refuses a stale If-Match with 412 and keeps the user', async () => {
      const user = await api.register(`${uniqueTag('keep')}@example.com`, 'Keeper');
      await api.patch(user.id, { name: 'Keeper 2' });
      await expectProblem(await api.remove(user.id, '"1"'), 412, 'USERS.VERSION_MISMATCH');
      await expectProblem(await api.remove(user.id, 'W/"2"'), 412, 'HTTP.PRECONDITION_FAILED');
      expect(await api.current(user.id)).toEqual({ user: { ...user, name: 'Keeper 2' }, etag: '"2"' });

      const res = await api.remove(user.id, '"2"');
      expect(res.status).toBe(204);
      expect((await api.get(user.id)).status).toBe(404);
    });

    it('lets exactly one of 10 concurrent deletes succeed; the others get 404', async () => {
      const user = await api.register(`${uniqueTag('delrace')}@example.com`, 'Contested');
      const responses = await Promise.all(Array.from({ length: 10 }, () => api.remove(user.id)));
      const statuses = responses.map((res) => res.status);
      expect(statuses.filter((status) => status === 204)).toHaveLength(1);
      expect(statuses.filter((status) => status === 404)).toHaveLength(9);
      expect((await api.get(user.id)).status).toBe(404);
    });

    it("deletes with If-Match '*'", async () => {
      const user = await api.register(`${uniqueTag('delstar')}@example.com`, 'Star');
      expect((await api.remove(user.id, '*')).status).toBe(204);
      expect((await api.get(user.id)).status).toBe(404);
    });

    it('frees the email for a new registration, which gets a new id', async () => {
      const user = await api.register(`${uniqueTag('reuse')}@example.com`, 'First Owner');
      expect((await api.remove(user.id)).status).toBe(204);
      const again = await api.register(user.email, 'Second Owner');
      expect(again.id).not.toBe(user.id);
      expect(again).toMatchObject({ email: user.email, name: 'Second Owner' });
    });

    it('answers an unknown id with 404 and a malformed one with 400 naming id', async () => {
      await expectProblem(await api.remove(UNKNOWN_ID), 404, 'USERS.NOT_FOUND');
      await expectValidationProblem(await api.remove('123'), ['id']);
    });
  });
});
