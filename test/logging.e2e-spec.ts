import { Controller, Get, Module, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../src/infrastructure/auth/access-policy.js';
import { adminSession, type AuthSession, signUp } from './helpers/auth.js';
import { ProbeModule } from './helpers/probe.module.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Routes whose statements PostgreSQL refuses, with personal values among their parameters. */
@Public()
@Controller({ path: 'probe-db', version: '1' })
class FailingStatementController {
  constructor(private readonly dataSource: DataSource) {}

  /** A unique violation: the detail reads `Key (email)=(...) already exists`. */
  @Get('duplicate')
  async duplicate(@Query('email') email: string): Promise<never> {
    const insert = `INSERT INTO users (id, email, name, role, created_at, updated_at, version)
                    VALUES (gen_random_uuid(), $1, $2, 'user', now(), now(), 1)`;
    await this.dataSource.query(insert, [email, 'Secret Name']);
    await this.dataSource.query(insert, [email, 'Secret Name']);
    throw new Error('unreachable');
  }

  /** A data exception: the message quotes the value (`invalid input syntax for type uuid: "..."`). */
  @Get('malformed')
  async malformed(@Query('id') id: string): Promise<never> {
    await this.dataSource.query(`SELECT 1 FROM users WHERE id = $1`, [id]);
    throw new Error('unreachable');
  }
}

@Module({ controllers: [FailingStatementController] })
class FailingStatementModule {}

describe('structured logging (e2e)', () => {
  let t: TestApp;
  let session: AuthSession;

  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule, FailingStatementModule] });
    session = await signUp(t.url);
  });
  afterAll(() => t.close());

  it('binds every line written while handling a request to its request id', async () => {
    const res = await fetch(`${t.url}/v1/probe/log`, {
      headers: { ...session.headers, 'x-request-id': 'req-logging-0001' },
    });
    expect(res.status).toBe(200);
    const lines = t.logs.forRequest('req-logging-0001');
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['probe handled', 'request completed']));
    expect(lines.find((line) => line.msg === 'probe handled')).toMatchObject({ context: 'ProbeController' });
  });

  it('redacts authorization, cookies, passwords and tokens', async () => {
    const res = await fetch(`${t.url}/v1/probe/log`, {
      headers: { ...session.headers, 'x-request-id': 'req-logging-0002', cookie: 'session=abc123' },
    });
    expect(res.status).toBe(200);
    const lines = t.logs.forRequest('req-logging-0002');
    const text = JSON.stringify(lines);
    for (const secret of [session.accessToken, 'session=abc123', 'hunter2', 'tok-123'])
      expect(text).not.toContain(secret);
    const completed = lines.find((line) => line.msg === 'request completed') as {
      req: { headers: Record<string, string> };
    };
    expect(completed.req.headers).not.toHaveProperty('authorization');
    expect(completed.req.headers).not.toHaveProperty('cookie');
    expect(completed.req.headers).toHaveProperty('user-agent');
    expect(lines.find((line) => line.msg === 'probe handled')).toMatchObject({
      user: { name: 'Ada', password: '[REDACTED]', token: '[REDACTED]' },
    });
  });

  it('answers an unexpected error with a bare 500 problem and logs the cause with the request id', async () => {
    const res = await fetch(`${t.url}/v1/probe/boom`, {
      headers: { ...session.headers, 'x-request-id': 'req-logging-0003' },
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The server could not complete the request',
      instance: '/v1/probe/boom',
      code: 'INTERNAL',
      requestId: 'req-logging-0003',
    });
    expect(text).not.toMatch(/hunter2|10\.0\.0\.7|at .*\.ts/);
    const errorLine = t.logs.forRequest('req-logging-0003').find((line) => line.level === 50 && line.err);
    expect(errorLine).toMatchObject({ err: { message: expect.stringContaining('connection to 10.0.0.7 failed') } });
  });

  it('logs requests to version-neutral routes other than the probes, with their request id', async () => {
    const res = await fetch(`${t.url}/docs-json`, { headers: { 'x-request-id': 'req-logging-0006' } });
    expect(res.status).toBe(200);
    expect(t.logs.forRequest('req-logging-0006')).toEqual([
      expect.objectContaining({ msg: 'request completed', req: expect.objectContaining({ url: '/docs-json' }) }),
    ]);
  });

  it('logs unmatched routes with their request id', async () => {
    const res = await fetch(`${t.url}/no-such-route`, { headers: { 'x-request-id': 'req-logging-0007' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('req-logging-0007');
    expect(t.logs.forRequest('req-logging-0007')).toEqual([
      expect.objectContaining({ msg: 'request completed', level: 40, res: { statusCode: 404 } }),
    ]);
  });

  it('does not log health probes at info', async () => {
    await fetch(`${t.url}/health/live`, { headers: { 'x-request-id': 'req-logging-0004' } });
    await fetch(`${t.url}/health/ready`, { headers: { 'x-request-id': 'req-logging-0005' } });
    expect(t.logs.forRequest('req-logging-0004')).toEqual([]);
    expect(t.logs.forRequest('req-logging-0005')).toEqual([]);
  });

  describe('personal values', () => {
    it("logs a query string's parameter names, never the values of email, q or a token", async () => {
      const admin = await adminSession(t.url, t.databaseUrl);
      const res = await fetch(`${t.url}/v1/users?email=someone%40example.com&q=lovelace&limit=5&token=tok-secret-42`, {
        headers: { ...admin.headers, 'x-request-id': 'req-logging-0008' },
      });
      // `token` is no parameter of this route: a 400, logged like any other request.
      expect(res.status).toBe(400);
      const v2 = await fetch(`${t.url}/v2/users?email=someone@example.com`, {
        headers: { ...admin.headers, 'x-request-id': 'req-logging-0009' },
      });
      expect(v2.status).toBe(200);

      const text = JSON.stringify(t.logs.lines);
      for (const value of ['someone%40example.com', 'someone@example.com', 'lovelace', 'tok-secret-42'])
        expect(text).not.toContain(value);
      const completed = t.logs.forRequest('req-logging-0008').find((line) => line.msg === 'request completed');
      expect(completed).toMatchObject({
        req: { url: '/v1/users?email=[REDACTED]&q=[REDACTED]&limit=5&token=[REDACTED]' },
      });
      expect(t.logs.forRequest('req-logging-0009')).toEqual([
        expect.objectContaining({ req: expect.objectContaining({ url: '/v2/users?email=[REDACTED]' }) }),
      ]);
    });

    it('logs a failed statement with its SQL and code, never its parameters or the row values PostgreSQL quotes', async () => {
      const res = await fetch(`${t.url}/v1/probe-db/duplicate?email=dup.person%40example.com`, {
        headers: { 'x-request-id': 'req-logging-0010' },
      });
      expect(res.status).toBe(500);
      const malformed = await fetch(`${t.url}/v1/probe-db/malformed?id=not-a-uuid-but-personal`, {
        headers: { 'x-request-id': 'req-logging-0011' },
      });
      expect(malformed.status).toBe(500);

      const text = JSON.stringify(t.logs.lines);
      for (const value of [
        'dup.person@example.com',
        'dup.person%40example.com',
        'Secret Name',
        'not-a-uuid-but-personal',
      ])
        expect(text).not.toContain(value);
      const duplicate = t.logs.forRequest('req-logging-0010').find((line) => line.level === 50 && line.err);
      expect(duplicate).toMatchObject({
        err: {
          type: 'QueryFailedError',
          code: '23505',
          constraint: 'users_email_key',
          query: expect.stringContaining('$1'),
        },
      });
      expect(duplicate?.err).not.toHaveProperty('parameters');
      expect(duplicate?.err).not.toHaveProperty('detail');
      const invalid = t.logs.forRequest('req-logging-0011').find((line) => line.level === 50 && line.err);
      expect(invalid).toMatchObject({ err: { code: '22P02', message: expect.stringContaining('[REDACTED]') } });
    });
  });
});
