import type { AccessCase } from '../access/access-case.js';
import { uniqueEmail } from '../helpers/auth.js';

/**
 * The users routes in the authorization matrix. A user reaches only itself (anyone else's id
 * answers 404, as an unknown one does); creating, listing and searching users and changing a
 * role are for admins (403 for everyone else, the user itself included).
 */
const ADMIN_ONLY = { anonymous: 401, other: 403, owner: 403 } as const;
const OWNER_OR_ADMIN = { anonymous: 401, other: 404, owner: 200, admin: 200 } as const;

export const accessCases: AccessCase[] = [
  {
    route: 'POST /v1/users',
    request: async () => ({ path: '/v1/users', body: { email: uniqueEmail('access'), name: 'Access Row' } }),
    expect: { ...ADMIN_ONLY, admin: 201 },
  },
  {
    route: 'GET /v1/users',
    request: async ({ owner }) => ({ path: `/v1/users?email=${encodeURIComponent(owner.email)}&q=user` }),
    expect: { ...ADMIN_ONLY, admin: 200 },
  },
  {
    route: 'GET /v1/users/:id',
    request: async ({ owner }) => ({ path: `/v1/users/${owner.userId}` }),
    expect: OWNER_OR_ADMIN,
  },
  {
    route: 'PATCH /v1/users/:id',
    request: async ({ owner }) => ({ path: `/v1/users/${owner.userId}`, body: { name: 'Renamed' } }),
    expect: OWNER_OR_ADMIN,
  },
  {
    route: 'DELETE /v1/users/:id',
    request: async ({ owner }) => ({ path: `/v1/users/${owner.userId}` }),
    expect: { anonymous: 401, other: 404, owner: 204, admin: 204 },
  },
  {
    route: 'PUT /v1/users/:id/role',
    // The role the user has already: the row is about who may call, not what a change does.
    request: async ({ owner }) => ({ path: `/v1/users/${owner.userId}/role`, body: { role: 'user' } }),
    expect: { ...ADMIN_ONLY, admin: 200 },
  },
  {
    route: 'GET /v2/users',
    request: async ({ owner }) => ({ path: `/v2/users?email=${encodeURIComponent(owner.email)}&q=user` }),
    expect: { ...ADMIN_ONLY, admin: 200 },
  },
  {
    route: 'GET /v2/users/:id',
    request: async ({ owner }) => ({ path: `/v2/users/${owner.userId}` }),
    expect: OWNER_OR_ADMIN,
  },
];
