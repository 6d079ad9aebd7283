import { type AuthSession, signUp } from './helpers/auth.js';
import { ProbeModule } from './helpers/probe.module.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('structured logging (e2e)', () => {
  let t: TestApp;
  let session: AuthSession;

  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule] });
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
});
