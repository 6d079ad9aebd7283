import { generateSigningJwk } from '../../src/modules/auth/infrastructure/signing-keys.js';
import { type AppProcess, startAppProcess } from '../helpers/app-process.js';
import { expectProblem } from '../helpers/problem.js';
import { type AuthSession, logIn, signUp } from '../helpers/auth.js';
import { createTestDatabase, withClient } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait-for.js';
import { AUTH_TEST_ENV, authClient } from './auth-client.js';

const STARTED = /"msg":"Started \(role api\)"/;

/**
 * Two API processes of the compiled app on one database, as two replicas behind a load
 * balancer: what one of them decides (a revocation, failed logins) holds on the other.
 */
describe('auth across two API processes', () => {
  const processes: AppProcess[] = [];
  let first: ReturnType<typeof authClient>;
  let second: ReturnType<typeof authClient>;
  let firstUrl: string;
  let databaseUrl: string;

  beforeAll(async () => {
    const env = {
      ...AUTH_TEST_ENV,
      NODE_ENV: 'test',
      APP_ROLE: 'api',
      DATABASE_URL: (databaseUrl = await createTestDatabase()),
      AUTH_SIGNING_KEY: JSON.stringify(await generateSigningJwk()),
    };
    for (let index = 0; index < 2; index += 1) {
      const app = await startAppProcess(env);
      processes.push(app);
      await app.waitForOutput(STARTED, 60_000);
    }
    firstUrl = processes[0].url;
    first = authClient(processes[0].url);
    second = authClient(processes[1].url);
  }, 120_000);
  afterAll(() => Promise.all(processes.map((app) => app.stop())));

  const statusOnSecond = async (session: Pick<AuthSession, 'headers'>) => (await second.me(session.headers)).status;
  /** The bound: a revocation reaches every process within one second. */
  const refusedOnSecondWithinASecond = (session: Pick<AuthSession, 'headers'>) =>
    waitFor(
      'the other process to refuse the token',
      () => statusOnSecond(session),
      (status) => status === 401,
      {
        timeoutMs: 1000,
        intervalMs: 20,
      },
    );

  it.each([
    ['logout', (session: AuthSession) => first.call('POST', '/v1/auth/logout', undefined, session.headers)],
    ['logout-all', (session: AuthSession) => first.call('POST', '/v1/auth/logout-all', undefined, session.headers)],
  ])('a %s on one process is refused on the other within a second', async (_, end) => {
    const session = await signUp(firstUrl);
    expect(await statusOnSecond(session)).toBe(200);

    expect((await end(session)).status).toBe(204);

    await refusedOnSecondWithinASecond(session);
    await expectProblem(await second.me(session.headers), 401, 'AUTH.SESSION_REVOKED');
  });

  it('a password change on one process ends the other sessions on the other process within a second', async () => {
    const here = await signUp(firstUrl);
    const elsewhere = await logIn(processes[1].url, here.email, here.password);
    expect(await statusOnSecond(elsewhere)).toBe(200);

    const changed = await first.call(
      'POST',
      '/v1/auth/password',
      { currentPassword: here.password, newPassword: `${here.password} and more` },
      here.headers,
    );
    expect(changed.status).toBe(204);

    await refusedOnSecondWithinASecond(elsewhere);
    expect((await second.me(here.headers)).status).toBe(200);
  });

  it('a revocation still holds while the listening connections are cut (the database is asked instead)', async () => {
    const session = await signUp(firstUrl);
    const cut = await withClient(databaseUrl, async (db) => {
      const result = await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'auth-revocations' AND datname = current_database()`,
      );
      return result.rowCount;
    });
    expect(cut).toBe(2);

    expect((await first.call('POST', '/v1/auth/logout', undefined, session.headers)).status).toBe(204);

    await expectProblem(await second.me(session.headers), 401, 'AUTH.SESSION_REVOKED');
    await expectProblem(await first.me(session.headers), 401, 'AUTH.SESSION_REVOKED');
    const later = await signUp(firstUrl);
    expect(await statusOnSecond(later)).toBe(200);
  });

  it('failed logins count across processes: 5 spread over both block the account on both', async () => {
    const session = await signUp(firstUrl);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const target = attempt % 2 === 0 ? first : second;
      await expectProblem(await target.logIn(session.email, `wrong ${attempt}`), 401, 'AUTH.INVALID_CREDENTIALS');
    }
    await expectProblem(await first.logIn(session.email, session.password), 429, 'AUTH.TOO_MANY_FAILURES');
    await expectProblem(await second.logIn(session.email, session.password), 429, 'AUTH.TOO_MANY_FAILURES');
  });
});
