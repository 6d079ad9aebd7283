import { expectProblem, expectValidationProblem } from './helpers/problem.js';
import { adminSession } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Deeply nested bodies, which overflowed the stack of the DTO walks and answered 500, on any route. */
describe('JSON bodies nested too deep', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { THROTTLE_LIMIT: '10000' } });
  });
  afterAll(() => t?.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it.each([
    ['a 5,000-deep object', `{"email":${nested(5000)},"name":"Ada","password":"long enough pw 1"}`],
    ['a 100,000-deep array', `{"email":${'['.repeat(100_000)}${']'.repeat(100_000)},"name":"Ada","password":"x"}`],
  ])('answers %s on the public sign-up with a 400 problem naming the limit', async (_, body) => {
    const problem = await expectProblem(await post('/v1/auth/signup', body), 400, 'HTTP.BAD_REQUEST');
    expect(problem.detail).toBe('The JSON body nests deeper than 64 levels');
  });

  it('answers the same on a protected route, and the process keeps serving', async () => {
    const admin = await adminSession(t.url, t.databaseUrl);
    await expectProblem(await post('/v1/users', nested(5000), admin.headers), 400, 'HTTP.BAD_REQUEST');
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });

  it('lets a body at the limit through to validation, which names the field', async () => {
    await expectValidationProblem(
      await post('/v1/auth/signup', `{"email":${nested(63)},"name":"Ada","password":"long enough pw 1"}`),
      ['email'],
    );
  });
});
