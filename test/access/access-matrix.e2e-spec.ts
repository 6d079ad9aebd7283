import { adminSession, type AuthSession, logIn, signUp } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import { type AccessCase, type AccessContext, loadAccessCases } from './access-case.js';

/**
 * The authorization matrix (OWASP API1 BOLA, API5 BFLA): every route Fastify's router knows,
 * called by each kind of caller, against the status its module's `*.access.ts` row expects.
 * A route without a row fails the suite, so a route added without thinking about who may call
 * it is caught here as well as at startup (WiringCheck refuses a route without a policy).
 */
const CALLERS = ['anonymous', 'other', 'owner', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

/** Routes of the HTTP pipeline rather than of a controller: the Swagger UI's assets. */
const PIPELINE_ROUTES = /^GET \/docs\/static\/\*$/;

describe('Access matrix: every route x (anonymous, another user, the owner, an admin)', () => {
  let api: TestApp;
  const routerRoutes = new Set<string>();
  let files: { file: string; cases: AccessCase[] }[];
  let admin: AuthSession;

  /** A new user whose email is verified, so outbound work is open to it. */
  async function verifiedUser(): Promise<AuthSession> {
    const user = await signUp(api.url);
    await withClient(api.databaseUrl, (db) =>
      db.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [user.userId]),
    );
    return user;
  }

  beforeAll(async () => {
    files = await loadAccessCases();
    api = await createTestApp({
      env: { THROTTLE_LIMIT: '100000', THROTTLE_AUTH_LIMIT: '100000', THROTTLE_TASK_SUBMIT_LIMIT: '100000' },
      onRoute: ({ method, url }) => {
        for (const verb of [method].flat()) if (verb !== 'HEAD') routerRoutes.add(`${verb} ${url}`);
      },
    });
    admin = await adminSession(api.url, api.databaseUrl);
  });
  afterAll(() => api?.close());

  it('has exactly one row per route the router serves', () => {
    const rows = files.flatMap(({ cases }) => cases.map(({ route }) => route));
    const controllerRoutes = [...routerRoutes].filter((route) => !PIPELINE_ROUTES.test(route)).sort();
    expect({ missing: controllerRoutes.filter((route) => !rows.includes(route)) }).toEqual({ missing: [] });
    expect({ unknown: rows.filter((route) => !routerRoutes.has(route)) }).toEqual({ unknown: [] });
    expect({ duplicated: rows.filter((route, index) => rows.indexOf(route) !== index) }).toEqual({ duplicated: [] });
  });

  describe.each(CALLERS)('called by %s', (caller: Caller) => {
    it('answers every route as its row expects', async () => {
      const mismatches: string[] = [];
      for (const { file, cases } of files) {
        for (const row of cases) {
          const owner = await verifiedUser();
          // Fresh each time: a row may end the caller's session (logout) or delete the caller.
          const headersOf: Record<Caller, () => Promise<Record<string, string>>> = {
            anonymous: async () => ({}),
            other: async () => (await verifiedUser()).headers,
            owner: async () => owner.headers,
            admin: async () => (await logIn(api.url, admin.email, admin.password)).headers,
          };
          const context: AccessContext = { baseUrl: api.url, databaseUrl: api.databaseUrl, owner, admin };
          const request = await row.request(context);
          const [method] = row.route.split(' ');
          const response = await fetch(`${api.url}${request.path}`, {
            method,
            headers: {
              ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
              ...request.headers,
              ...(await headersOf[caller]()),
            },
            body: request.body === undefined ? undefined : JSON.stringify(request.body),
          });
          await response.arrayBuffer();
          if (response.status !== row.expect[caller])
            mismatches.push(`${row.route} (${file}): expected ${row.expect[caller]}, got ${response.status}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  });
});
