import { adminSession } from './helpers/auth.js';
import { expectProblem, expectValidationProblem } from './helpers/problem.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { WEBHOOK_TEST_ENV, type WebhooksApi, signedInWebhooksApi } from './webhooks/webhook-receiver.js';

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
/** A 400 validation problem naming just `field`, for `message`. */
async function expectFieldProblem(res: Response, field: string, message: string): Promise<void> {
  const problem = await expectValidationProblem(res, [field]);
  expect(problem.errors).toEqual([{ field, messages: [message] }]);
}

const manyKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 0]));

/**
 * Untrusted JSON is bounded before any per-key work (json-limits.ts): nesting, keys, items,
 * string length, U+0000 and lone surrogates answer a 400 naming the field, never a 500 or a
 * frozen process; a task submission has its own, smaller, body limit.
 */
describe('JSON body limits (e2e)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let webhooks: WebhooksApi;
  let endpointId: string;

  beforeAll(async () => {
    // The 60,000-key body (~0.6 MB) must reach the checks rather than stop at the size limit.
    t = await createTestApp({ env: { ...WEBHOOK_TEST_ENV, TASK_BODY_LIMIT: '700kb' } });
    admin = (await adminSession(t.url, t.databaseUrl)).headers;
    webhooks = await signedInWebhooksApi(t);
    endpointId = (await webhooks.register('http://127.0.0.1:9/hook')).id;
  });
  afterAll(() => t?.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  /** A webhook delivery whose `data` (an open object, stored as jsonb) is the raw JSON `data`. */
  const deliverRaw = (data: string) =>
    post(
      '/v1/tasks',
      `{"type":"webhooks.deliver","payload":{"endpointId":"${endpointId}","eventType":"test.event","payload":${data}}}`,
      webhooks.session.headers,
    );
  const deliver = (data: unknown) => deliverRaw(JSON.stringify(data));
  const signUp = (email: string) =>
    post('/v1/auth/signup', `{"email":${email},"name":"Ada","password":"long enough pw 1"}`);

  describe('nesting (JSON_MAX_DEPTH, 32)', () => {
    const tooDeep = 'must not nest deeper than 32 levels';

    it.each([
      ['a 5,000-deep object', nested(5000), '.a', 31],
      ['a 100,000-deep array', deepArray(100_000), '[0]', 31],
    ])('answers %s on the public sign-up with a 400 naming the field', async (_, value, segment, depth) => {
      await expectFieldProblem(await signUp(value), 'email' + segment.repeat(depth), tooDeep);
    });

    it.each([
      ['a 5,000-deep object', nested(5000), '.a', 31],
      ['a 100,000-deep array', deepArray(100_000), '[0]', 31],
    ])('answers %s on POST /v1/users with a 400 naming the field', async (_, value, segment, depth) => {
      const res = await post('/v1/users', `{"email":"ada@example.com","name":${value}}`, admin);
      await expectFieldProblem(res, 'name' + segment.repeat(depth), tooDeep);
    });

    it.each([
      ['a 5,000-deep object', nested(5000), '.a', 31],
      ['a 100,000-deep array', deepArray(100_000), '[0]', 31],
    ])('answers %s in a task payload with a 400 naming the field', async (_, value, segment, depth) => {
      const res = await post('/v1/tasks', `{"type":"tasks.echo","payload":${value}}`, webhooks.session.headers);
      await expectFieldProblem(res, 'payload' + segment.repeat(depth), tooDeep);
      expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    });

    it('lets a body at the limit through to validation', async () => {
      await expectValidationProblem(await signUp(nested(31)), ['email']);
    });
  });

  it('answers a 60,000-key payload (400 or 202) and keeps serving', async () => {
    const res = await deliver({ body: manyKeys(60_000) });
    expect([400, 202]).toContain(res.status);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });

  it('names an object with more keys than JSON_MAX_KEYS (1,000)', async () => {
    await expectFieldProblem(
      await deliver({ body: manyKeys(1001) }),
      'payload.payload.body',
      'must have at most 1000 keys',
    );
  });

  it('names an array with more items than JSON_MAX_ITEMS (10,000)', async () => {
    const res = await deliver({ list: Array.from({ length: 10_001 }, () => 0) });
    await expectFieldProblem(res, 'payload.payload.list', 'must have at most 10000 items');
  });

  it('names a string longer than JSON_MAX_STRING_LENGTH (100,000), and never echoes it', async () => {
    const res = await deliver({ notes: ['short', 'x'.repeat(100_001)] });
    await expectFieldProblem(res, 'payload.payload.notes[1]', 'must be at most 100000 characters long');
  });

  it('names a key longer than JSON_MAX_KEY_LENGTH (200), cut short', async () => {
    const key = 'k'.repeat(201);
    const res = await deliver({ [key]: 1 });
    await expectFieldProblem(res, `payload.payload["${'k'.repeat(40)}…"]`, 'key must be at most 200 characters long');
  });

  describe('characters PostgreSQL refuses (a 500 before)', () => {
    it('names a payload value holding U+0000', async () => {
      const res = await deliver({ body: { a: [0, 1, 2, 'a\u0000b'] } });
      await expectFieldProblem(res, 'payload.payload.body.a[3]', 'must not contain U+0000 (NUL)');
    });

    it('names a payload key holding U+0000, escaped', async () => {
      const res = await deliver({ 'a\u0000b': 1 });
      await expectFieldProblem(res, 'payload.payload["a\\u0000b"]', 'key must not contain U+0000 (NUL)');
    });

    it('names a lone surrogate sent as the raw JSON escape \\ud800, in a value and in a key', async () => {
      const surrogate = 'must be well-formed text (no unpaired surrogate)';
      await expectFieldProblem(await deliverRaw('{"note":"x\\ud800"}'), 'payload.payload.note', surrogate);
      await expectFieldProblem(await deliverRaw('{"\\ud800":1}'), 'payload.payload["\\ud800"]', `key ${surrogate}`);
    });

    it('names U+0000 on any route: a user name', async () => {
      const res = await post('/v1/users', JSON.stringify({ email: 'nul@example.com', name: 'Ada\u0000' }), admin);
      await expectFieldProblem(res, 'name', 'must not contain U+0000 (NUL)');
    });
  });

  it('accepts an open payload holding what jsonb stores: unicode, astral characters, nesting, arrays', async () => {
    const data = { 'é😀': ['ü', { deep: nestedValue(20) }, null, true, 1.5], list: manyKeys(1000) };
    const res = await deliver(data);
    expect(res.status).toBe(202);
    expect(((await res.json()) as { payload: { payload: unknown } }).payload.payload).toEqual(data);
  });

  describe('the task body limit (TASK_BODY_LIMIT)', () => {
    const big = JSON.stringify({ filler: 'x'.repeat(750 * 1024) });

    it('answers a task submission past it with a 413 problem', async () => {
      const problem = await expectProblem(await deliverRaw(big), 413, 'HTTP.PAYLOAD_TOO_LARGE');
      expect(problem.detail).not.toContain('xxx');
    });

    it('leaves the other routes at BODY_LIMIT: the same size reaches validation', async () => {
      const res = await post(
        '/v1/users',
        JSON.stringify({ email: 'big@example.com', name: 'x'.repeat(750 * 1024) }),
        admin,
      );
      await expectFieldProblem(res, 'name', 'must be at most 100000 characters long');
    });
  });
});

function nestedValue(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = { level, value };
  return value;
}
