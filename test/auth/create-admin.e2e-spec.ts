import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { expectProblem } from '../helpers/problem.js';
import { adminSession, signUp, strongPassword, uniqueEmail } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, withClient } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait-for.js';
import { AUTH_TEST_ENV, authClient } from './auth-client.js';

/** Built by the jest global setup (test/setup/global/build-for-process-tests.ts). */
const CLI = resolve('dist-test/modules/auth/cli/create-admin.cli.js');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `npm run users:create-admin`, as an operator runs it: the compiled CLI in its own process, on
 * the test's database, the password piped on stdin.
 */
describe('users:create-admin (compiled CLI, real process)', () => {
  let databaseUrl: string;
  let mailDir: string;
  let t: TestApp | undefined;
  const api = () => authClient(t!.url);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    mailDir = await mkdtemp(join(tmpdir(), 'create-admin-mail-'));
  });
  afterAll(async () => {
    await t?.close();
    await rm(mailDir, { recursive: true, force: true });
  });

  async function runCli(args: string[], stdin: string): Promise<CliRun> {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        MAIL_DIR: mailDir,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A refusal may come before the CLI reads stdin; the write then fails with EPIPE, which is fine.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
    const code = await Promise.race([
      new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode))),
      setTimeout(60_000, undefined, { ref: false }).then(() => {
        child.kill('SIGKILL');
        throw new Error(`the CLI did not exit within 60 s; stdout:\n${stdout}\nstderr:\n${stderr}`);
      }),
    ]);
    return { code, stdout, stderr };
  }

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    withClient(databaseUrl, async (db) => (await db.query(text, params)).rows as T[]);

  /** Every row this command may write: accounts (with role and version), credentials, queued tasks. */
  const snapshot = async () => ({
    users: await sql(`SELECT id, email, name, role, version FROM users ORDER BY id`),
    credentials: await sql(`SELECT user_id, password_hash, updated_at FROM auth_credentials ORDER BY user_id`),
    tasks: await sql(`SELECT id FROM tasks ORDER BY id`),
  });

  const me = async (email: string, password: string) => {
    const login = await api().logIn(email, password);
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = (await login.json()) as { accessToken: string; refreshToken: string };
    const res = await api().me({ authorization: `Bearer ${accessToken}` });
    expect(res.status).toBe(200);
    return { account: (await res.json()) as { id: string; name: string; role: string }, accessToken, refreshToken };
  };

  it('creates an admin on a fresh database, who can then log in to the app', async () => {
    const email = `ada.lovelace+${randomBytes(4).toString('hex')}@example.com`;
    const password = strongPassword();

    const run = await runCli(['--email', email], `${password}\n`);

    const printed = /^created admin (\S+), user id (\S+)\n$/.exec(run.stdout);
    expect({ code: run.code, stdout: run.stdout, email: printed?.[1] }).toMatchObject({ code: 0, email });
    const userId = printed![2];
    expect(userId).toMatch(UUID);
    // Logging stays at warnings: a clean run prints its one line and nothing else.
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain(password);

    t = await createTestApp({ databaseUrl, env: { ...AUTH_TEST_ENV, MAIL_DIR: mailDir } });
    const { account, accessToken } = await me(email, password);
    expect(account).toMatchObject({ id: userId, role: 'admin', name: 'Ada Lovelace' });
    const adminOnly = await api().call(
      'POST',
      '/v1/users',
      { email: uniqueEmail('made-by-admin'), name: 'Made By Admin' },
      { authorization: `Bearer ${accessToken}` },
    );
    expect(adminOnly.status).toBe(201);
  });

  it('takes the name from --name and the password from the first line only', async () => {
    const email = uniqueEmail('grace');
    const password = strongPassword();

    const run = await runCli(['--email', email, '--name', '  Grace Hopper '], `${password}\r\nsecond line\n`);

    expect(run.code).toBe(0);
    expect((await me(email, password)).account).toMatchObject({ name: 'Grace Hopper', role: 'admin' });
  });

  it('promotes a signed-up user, leaving its password alone; a second run changes nothing', async () => {
    const user = await signUp(t!.url, { name: 'Signed Up' });
    expect((await me(user.email, user.password)).account.role).toBe('user');

    const run = await runCli(['--email', user.email.toUpperCase()], '');

    expect(run).toMatchObject({ code: 0, stdout: `promoted ${user.email} to admin, user id ${user.userId}\n` });
    expect((await me(user.email, user.password)).account).toMatchObject({ id: user.userId, role: 'admin' });

    const before = await snapshot();
    const again = await runCli(['--email', user.email], 'ignored\n');
    expect(again).toMatchObject({ code: 0, stdout: `${user.email} is already an admin, user id ${user.userId}\n` });
    expect(await snapshot()).toEqual(before);
  });

  it('--reset-password sets the piped password and ends the sessions of the account', async () => {
    const user = await signUp(t!.url);
    const password = strongPassword();

    const run = await runCli(['--email', user.email, '--reset-password'], `${password}\n`);

    expect(run).toMatchObject({
      code: 0,
      stdout: `promoted ${user.email} to admin, user id ${user.userId} (password replaced, 1 session ended)\n`,
    });
    await waitFor(
      'the app to refuse the access token of the ended session',
      async () => (await api().me(user.headers)).status,
      (status) => status === 401,
      { timeoutMs: 2000, intervalMs: 20 },
    );
    await expectProblem(await api().refresh(user.refreshToken), 401, 'AUTH.REFRESH_INVALID');
    await expectProblem(await api().logIn(user.email, user.password), 401, 'AUTH.INVALID_CREDENTIALS');
    expect((await me(user.email, password)).account.role).toBe('admin');
  });

  it('gives an account made through POST /v1/users (no password yet) a first password with --reset-password', async () => {
    const admin = await adminSession(t!.url, databaseUrl);
    const email = uniqueEmail('no-password');
    const made = await api().call('POST', '/v1/users', { email, name: 'No Password' }, admin.headers);
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };

    const promoted = await runCli(['--email', email], '');
    expect(promoted).toMatchObject({ code: 0, stdout: `promoted ${email} to admin, user id ${id}\n` });
    expect(promoted.stderr).toMatch(/has no password yet, so it cannot log in: run again with --reset-password/);

    const password = strongPassword();
    const reset = await runCli(['--email', email, '--reset-password'], `${password}\n`);
    expect(reset).toMatchObject({ code: 0, stderr: '' });
    expect((await me(email, password)).account).toMatchObject({ id, role: 'admin' });
  });

  describe('refusals: exit code 1, a message on stderr, nothing on stdout, nothing changed', () => {
    const secret = 'Do not echo this horse battery';

    it.each<[string, () => Promise<{ args: string[]; stdin: string }>, RegExp]>([
      [
        '--password on the command line',
        async () => ({ args: ['--email', uniqueEmail(), '--password', secret], stdin: `${strongPassword()}\n` }),
        /never taken from the command line/,
      ],
      [
        '--password=... on the command line',
        async () => ({ args: [`--password=${secret}`, '--email', uniqueEmail()], stdin: '' }),
        /never taken from the command line/,
      ],
      [
        'a stray argument (perhaps a password)',
        async () => ({ args: ['--email', uniqueEmail(), secret], stdin: '' }),
        /unexpected argument/,
      ],
      [
        'a common password',
        async () => ({ args: ['--email', uniqueEmail()], stdin: 'password123\n' }),
        /password is one of the most common passwords/,
      ],
      [
        'a password shorter than 8 characters',
        async () => ({ args: ['--email', uniqueEmail()], stdin: 'short\n' }),
        /password must be at least 8 characters/,
      ],
      ['empty stdin', async () => ({ args: ['--email', uniqueEmail()], stdin: '' }), /no password on stdin/],
      [
        'an invalid email',
        async () => ({ args: ['--email', 'not an email'], stdin: `${strongPassword()}\n` }),
        /--email: "not an email" is not a valid email address/,
      ],
      ['no --email', async () => ({ args: [], stdin: `${strongPassword()}\n` }), /--email is required/],
      [
        '--reset-password with a common password, on a signed-up user (who stays a user)',
        async () => ({ args: ['--email', (await signUp(t!.url)).email, '--reset-password'], stdin: 'password123\n' }),
        /password is one of the most common passwords/,
      ],
    ])('%s', async (_, prepare, message) => {
      const { args, stdin } = await prepare();
      const before = await snapshot();

      const run = await runCli(args, stdin);

      expect(run).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(message) });
      expect(run.stderr).not.toContain(secret);
      expect(await snapshot()).toEqual(before);
    });
  });
});
