import type { AccessCase } from '../access/access-case.js';
import { bearer, strongPassword, uniqueEmail } from '../helpers/auth.js';

/**
 * The auth routes. Public ones answer alike whoever calls (a stale or foreign token is
 * ignored); the others act on the caller's own account and sessions only, admins included:
 * there is no "someone else's session" to reach, so a foreign session id is a 404.
 */
const same = (status: number) => ({ anonymous: status, other: status, owner: status, admin: status });
const self = (status: number) => ({ anonymous: 401, other: status, owner: status, admin: status });

/** A well-formed code that was never issued. */
const UNKNOWN_CODE = 'A'.repeat(43);

export const accessCases: AccessCase[] = [
  {
    route: 'POST /v1/auth/signup',
    request: async () => ({
      path: '/v1/auth/signup',
      body: { email: uniqueEmail(), name: 'Matrix', password: strongPassword() },
    }),
    expect: same(201),
  },
  {
    route: 'POST /v1/auth/login',
    request: async ({ owner }) => ({
      path: '/v1/auth/login',
      body: { email: owner.email, password: owner.password },
    }),
    expect: same(200),
  },
  {
    route: 'POST /v1/auth/refresh',
    request: async ({ owner }) => ({ path: '/v1/auth/refresh', body: { refreshToken: owner.refreshToken } }),
    expect: same(200),
  },
  {
    route: 'POST /v1/auth/password-reset',
    request: async ({ owner }) => ({ path: '/v1/auth/password-reset', body: { email: owner.email } }),
    expect: same(202),
  },
  {
    route: 'POST /v1/auth/password-reset/confirm',
    request: async () => ({
      path: '/v1/auth/password-reset/confirm',
      body: { token: UNKNOWN_CODE, password: strongPassword() },
    }),
    expect: same(422),
  },
  {
    route: 'POST /v1/auth/email-verification/confirm',
    request: async () => ({ path: '/v1/auth/email-verification/confirm', body: { token: UNKNOWN_CODE } }),
    expect: same(422),
  },
  {
    route: 'POST /v1/auth/email-verification',
    request: async () => ({ path: '/v1/auth/email-verification' }),
    expect: self(202),
  },
  { route: 'POST /v1/auth/logout', request: async () => ({ path: '/v1/auth/logout' }), expect: self(204) },
  { route: 'POST /v1/auth/logout-all', request: async () => ({ path: '/v1/auth/logout-all' }), expect: self(204) },
  { route: 'GET /v1/auth/sessions', request: async () => ({ path: '/v1/auth/sessions' }), expect: self(200) },
  {
    route: 'DELETE /v1/auth/sessions/:id',
    request: async ({ baseUrl, owner }) => {
      const me = await fetch(`${baseUrl}/v1/auth/me`, { headers: bearer(owner.accessToken) });
      const { sessionId } = (await me.json()) as { sessionId: string };
      return { path: `/v1/auth/sessions/${sessionId}` };
    },
    // The owner's own session, ended through its own token; anyone else's is not theirs to see.
    expect: { anonymous: 401, other: 404, owner: 204, admin: 404 },
  },
  { route: 'GET /v1/auth/me', request: async () => ({ path: '/v1/auth/me' }), expect: self(200) },
  {
    route: 'POST /v1/auth/password',
    request: async ({ owner }) => ({
      path: '/v1/auth/password',
      body: { currentPassword: owner.password, newPassword: strongPassword() },
    }),
    // The body holds the owner's password: for anyone else it is not their current one.
    expect: { anonymous: 401, other: 403, owner: 204, admin: 403 },
  },
  {
    route: 'GET /.well-known/jwks.json',
    request: async () => ({ path: '/.well-known/jwks.json' }),
    expect: same(200),
  },
];
