import { adminSession, type AuthSession, signUp } from '../helpers/auth.js';
import { readJson } from '../helpers/http.js';
import { expectProblem } from '../helpers/problem.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * DOCS_ACCESS and HEALTH_DETAILS_ACCESS: what anonymous callers learn about the API. `admin` (the
 * production default) keeps the OpenAPI document and the readiness details for admins; the
 * probes keep answering orchestrators, which send no token.
 */
const get = (t: TestApp, path: string, session?: AuthSession) =>
  fetch(`${t.url}${path}`, { headers: session?.headers ?? {} });

describe('docs and health details access (e2e)', () => {
  describe('admin', () => {
    let t: TestApp;
    let user: AuthSession;
    let admin: AuthSession;

    beforeAll(async () => {
      t = await createTestApp({ env: { DOCS_ACCESS: 'admin', HEALTH_DETAILS_ACCESS: 'admin' } });
      user = await signUp(t.url);
      admin = await adminSession(t.url, t.databaseUrl);
    });
    afterAll(() => t?.close());

    it.each(['/docs', '/docs-json'])(
      '%s: 401 without a token, 403 for a user, the document for an admin',
      async (path) => {
        await expectProblem(await get(t, path), 401, 'AUTH.TOKEN_MISSING');
        await expectProblem(await get(t, path, user), 403, 'AUTH.FORBIDDEN');
        const document = await readJson<{ openapi: string; paths: Record<string, unknown> }>(
          await get(t, path, admin),
          200,
        );
        expect(document.openapi).toMatch(/^3\./);
        expect(document.paths).toHaveProperty('/v1/users/{id}/role');
        expect(Object.keys(document.paths).some((route) => route.startsWith('/docs'))).toBe(false);
      },
    );

    it('serves neither the Swagger UI assets nor the YAML document', async () => {
      for (const path of ['/docs-yaml', '/docs/swagger-ui.css', '/docs/swagger-ui-init.js']) {
        const res = await get(t, path);
        expect([401, 404]).toContain(res.status);
        expect(await res.text()).not.toContain('/v1/users');
      }
    });

    it('GET /health/ready answers its status only, to anyone; the probes need no token', async () => {
      const ready = await get(t, '/health/ready');
      expect(await readJson(ready, 200)).toEqual({ status: 'ok' });
      expect(await readJson(await get(t, '/health/ready', admin), 200)).toEqual({ status: 'ok' });
      expect(await readJson(await get(t, '/health/live'), 200)).toEqual({ status: 'ok' });
    });

    it('GET /health/details: 401 without a token, 403 for a user, every check for an admin', async () => {
      await expectProblem(await get(t, '/health/details'), 401, 'AUTH.TOKEN_MISSING');
      await expectProblem(await get(t, '/health/details', user), 403, 'AUTH.FORBIDDEN');
      const details = await readJson<{ status: string; checks: Record<string, unknown> }>(
        await get(t, '/health/details', admin),
        200,
      );
      expect(details.status).toBe('ok');
      expect(Object.keys(details.checks)).toEqual(expect.arrayContaining(['database', 'queue', 'circuits']));
    });
  });

  describe('public (the default outside production)', () => {
    let t: TestApp;
    let user: AuthSession;

    beforeAll(async () => {
      t = await createTestApp();
      user = await signUp(t.url);
    });
    afterAll(() => t?.close());

    it('serves the Swagger UI and the document to anyone', async () => {
      const ui = await get(t, '/docs');
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
      const document = await readJson<{ paths: Record<string, unknown> }>(await get(t, '/docs-json'), 200);
      expect(document.paths).toHaveProperty('/v1/users');
      expect((await get(t, '/docs-yaml')).status).toBe(200);
    });

    it('GET /health/ready names every check; /health/details stays for admins', async () => {
      const ready = await readJson<{ checks: Record<string, unknown> }>(await get(t, '/health/ready'), 200);
      expect(Object.keys(ready.checks)).toEqual(expect.arrayContaining(['database', 'queue', 'circuits']));
      await expectProblem(await get(t, '/health/details', user), 403, 'AUTH.FORBIDDEN');
    });
  });
});
