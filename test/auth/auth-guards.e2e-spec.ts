import { expectProblem } from '../helpers/problem.js';
import { bearer, signUp } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** How authentication sits with the rest of the pipeline. */
describe('auth: the guard in the pipeline', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { THROTTLE_LIMIT: '3' } });
  });
  afterAll(() => t?.close());

  it('rate-limits before it authenticates: a flood of bad tokens is cut off at 429, not verified forever', async () => {
    // Its own app: once cut off, the address gets 429 on every authenticated route for the window.
    const flooded = await createTestApp({ env: { THROTTLE_AUTH_FAILURE_LIMIT: '3' } });
    const statuses: number[] = [];
    try {
      for (let request = 0; request < 5; request += 1)
        statuses.push((await fetch(`${flooded.url}/v1/users`, { headers: bearer('forged.token.value') })).status);
    } finally {
      await flooded.close();
    }

    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('answers problem+json with the request id and the security headers on a 401', async () => {
    const res = await fetch(`${t.url}/v1/tasks`);
    await expectProblem(res, 401, 'AUTH.TOKEN_MISSING');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets a signed-up user reach a protected route of another module', async () => {
    const session = await signUp(t.url);
    expect((await fetch(`${t.url}/v1/tasks?limit=1`, { headers: session.headers })).status).toBe(200);
  });
});
