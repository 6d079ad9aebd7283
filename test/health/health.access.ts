import type { AccessCase } from '../access/access-case.js';

/**
 * The health module's routes in the authorization matrix. The probes and the info endpoint are
 * public (orchestrators send no token); the readiness details are for admins. The docs rows are
 * Swagger's own routes with DOCS_ACCESS=public, the default outside production and the matrix
 * app's; with `admin` only `GET /docs` and `GET /docs-json` exist, for admins
 * (`test/health/health-exposure.e2e-spec.ts` covers that mode).
 */
const EVERYONE = { anonymous: 200, other: 200, owner: 200, admin: 200 } as const;

export const accessCases: AccessCase[] = [
  { route: 'GET /health/live', request: async () => ({ path: '/health/live' }), expect: EVERYONE },
  { route: 'GET /health/ready', request: async () => ({ path: '/health/ready' }), expect: EVERYONE },
  {
    route: 'GET /health/details',
    request: async () => ({ path: '/health/details' }),
    expect: { anonymous: 401, other: 403, owner: 403, admin: 200 },
  },
  { route: 'GET /v1/info', request: async () => ({ path: '/v1/info' }), expect: EVERYONE },
  ...(
    [
      ['GET /docs', '/docs'],
      ['GET /docs-json', '/docs-json'],
      ['GET /docs-yaml', '/docs-yaml'],
      ['GET /docs/', '/docs/'],
      ['GET /docs/*', '/docs/swagger-ui.css'],
      ['GET /docs/docs/swagger-ui-init.js', '/docs/docs/swagger-ui-init.js'],
      ['GET /docs/index.html', '/docs/index.html'],
      ['GET /docs/swagger-ui-init.js', '/docs/swagger-ui-init.js'],
    ] as const
  ).map(([route, path]): AccessCase => ({ route, request: async () => ({ path }), expect: EVERYONE })),
  // @nestjs/swagger declares this route, but swagger-ui-dist ships no such file: 404 for anyone.
  {
    route: 'GET /docs/LICENSE',
    request: async () => ({ path: '/docs/LICENSE' }),
    expect: { anonymous: 404, other: 404, owner: 404, admin: 404 },
  },
];
