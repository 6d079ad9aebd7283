import { adminSession, type AuthSession } from '../helpers/auth.js';
import type { TestApp } from '../helpers/test-app.js';

/**
 * Small HTTP client for the users API, for the e2e tests under test/users/: real requests
 * with `fetch` against a `createTestApp()` server, plus the shapes they share.
 */

/** Version 1 representation of a user. */
export interface UserV1 {
  id: string;
  email: string;
  name: string;
  role: string;
}

export interface UserV2 {
  id: string;
  email: string;
  displayName: string;
  role: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  _links: { self: { href: string } };
}

export interface UserPageV1 {
  items: UserV1[];
  nextCursor: string | null;
}

export interface UserPageV2 {
  items: UserV2[];
  _links: { self: { href: string }; next?: { href: string } };
}

export const JSON_CONTENT_TYPE = /^application\/json/;

/** Environment for apps of these tests: the default rate limit (100/min) would trip mid-file. */
export const USERS_TEST_ENV = { THROTTLE_LIMIT: '10000' };

export interface CallOptions {
  /** Sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /** Sent as is (set the content type in `headers`). */
  body?: string;
  headers?: Record<string, string>;
}

/** A tag unique to one test, to keep its users apart from the rest of the file's in list queries. */
export function uniqueTag(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** `defaults` go with every request (a session's `headers`, say); a call's own headers win. */
export function usersApi(baseUrl: string, defaults: Record<string, string> = {}) {
  const call = (method: string, path: string, options: CallOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...defaults, ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    return fetch(`${baseUrl}${path}`, { method, headers, body });
  };

  return {
    call,
    post: (json: unknown, headers?: Record<string, string>) => call('POST', '/v1/users', { json, headers }),
    get: (id: string, headers?: Record<string, string>) => call('GET', `/v1/users/${id}`, { headers }),
    getV2: (id: string) => call('GET', `/v2/users/${id}`),
    list: (query: Record<string, string> = {}, version = 1) => {
      const search = new URLSearchParams(query).toString();
      return call('GET', `/v${version}/users${search ? `?${search}` : ''}`);
    },
    patch: (id: string, json: unknown, ifMatch?: string) =>
      call('PATCH', `/v1/users/${id}`, { json, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } }),
    remove: (id: string, ifMatch?: string) =>
      call('DELETE', `/v1/users/${id}`, { headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } }),

    /** Registers a user and returns its v1 body; fails loudly on anything but a 201. */
    async register(email: string, name: string): Promise<UserV1> {
      const res = await call('POST', '/v1/users', { json: { email, name } });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`POST /v1/users ${email} answered ${res.status}: ${text}`);
      return JSON.parse(text) as UserV1;
    },

    /** The current state of a user as v1 body plus ETag; fails loudly on anything but a 200. */
    async current(id: string): Promise<{ user: UserV1; etag: string | null }> {
      const res = await call('GET', `/v1/users/${id}`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET /v1/users/${id} answered ${res.status}: ${text}`);
      return { user: JSON.parse(text) as UserV1, etag: res.headers.get('etag') };
    },
  };
}

export type UsersApi = ReturnType<typeof usersApi>;

/**
 * A new admin of the app and a users client signed in as it: creating users through
 * `POST /v1/users` takes the admin role. The admin is a user too, so lists include it.
 */
export async function adminUsersApi(t: Pick<TestApp, 'url' | 'databaseUrl'>): Promise<{
  api: UsersApi;
  admin: AuthSession;
}> {
  const admin = await adminSession(t.url, t.databaseUrl);
  return { api: usersApi(t.url, admin.headers), admin };
}
