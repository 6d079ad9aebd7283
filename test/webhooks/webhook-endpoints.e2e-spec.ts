import { Webhook } from 'standardwebhooks';
import { adminSession, type AuthSession } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import {
  type EndpointJson,
  WEBHOOK_TEST_ENV,
  type WebhooksApi,
  WebhookReceiver,
  deliver,
  headerRecord,
  signedInWebhooksApi,
  webhooksApi,
} from './webhook-receiver.js';

const MAX_ENDPOINTS = 3;
const GRACE_S = 2;

describe('Webhook endpoints (e2e)', () => {
  let t: TestApp;
  let alice: WebhooksApi;
  let bob: WebhooksApi;
  let admin: AuthSession;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...WEBHOOK_TEST_ENV,
        WEBHOOK_MAX_ENDPOINTS_PER_OWNER: String(MAX_ENDPOINTS),
        WEBHOOK_SECRET_GRACE_S: String(GRACE_S),
      },
    });
    admin = await adminSession(t.url, t.databaseUrl);
  });
  beforeEach(async () => {
    // Fresh accounts per test, so each starts below the endpoint cap.
    alice = await signedInWebhooksApi(t);
    bob = await signedInWebhooksApi(t);
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver?.close());
  afterAll(() => t?.close());

  it('registers an endpoint and shows its secret once, stored encrypted', async () => {
    const created = await alice.register(receiver.url(), 'orders');

    expect(created).toMatchObject({ ownerId: alice.session.userId, url: receiver.url(), description: 'orders' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(32);
    const read = (await (await alice.get(created.id)).json()) as EndpointJson;
    expect(read).toEqual({ ...created, secret: undefined });
    expect(read).not.toHaveProperty('secret');

    const [row] = await withClient(
      t.databaseUrl,
      async (db) => (await db.query(`SELECT * FROM webhook_endpoints WHERE id = $1`, [created.id])).rows,
    );
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(6));
  });

  it('answers 404 for another user’s endpoint (read, rotate, delete, deliver), lists only one’s own; admins reach all', async () => {
    const mine = await alice.register(receiver.url());

    for (const res of [await bob.get(mine.id), await bob.rotate(mine.id), await bob.remove(mine.id)]) {
      expect(res.status).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('WEBHOOKS.ENDPOINT_NOT_FOUND');
    }
    const bobs = (await (await bob.list()).json()) as { items: EndpointJson[] };
    expect(bobs.items.map((item) => item.id)).not.toContain(mine.id);
    const alices = (await (await alice.list()).json()) as { items: EndpointJson[] };
    expect(alices.items.map((item) => item.id)).toContain(mine.id);

    const asAdmin = webhooksApi(t.url, admin);
    expect((await asAdmin.get(mine.id)).status).toBe(200);
    expect((await asAdmin.remove(mine.id)).status).toBe(204);
    expect((await alice.get(mine.id)).status).toBe(404);
  });

  it('refuses a delivery signed with another user’s endpoint: 400 on payload.endpointId, nothing sent', async () => {
    const alices = await alice.register(receiver.url());

    const res = await bob.tasks.submit({
      type: 'webhooks.deliver',
      payload: { endpointId: alices.id, eventType: 'invoice.paid', payload: { invoice: 'forged', paid: true } },
    });

    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((error) => error.field)).toEqual(['payload.endpointId']);
    // An id that does not exist answers the same: no existence oracle.
    const unknown = await bob.tasks.submit({
      type: 'webhooks.deliver',
      payload: { endpointId: '0193a000-0000-7000-8000-000000000000', eventType: 'invoice.paid', payload: {} },
    });
    expect(unknown.status).toBe(400);
    expect(receiver.requests).toHaveLength(0);
  });

  it('a user pointing their own endpoint at another user’s receiver signs with their own secret: the receiver rejects it', async () => {
    const alices = await alice.register(receiver.url());
    const bobs = await bob.register(receiver.url());

    const genuine = await deliver(alice.tasks, alices.id, { invoice: 1 }, 1, 'invoice.paid');
    const forged = await deliver(bob.tasks, bobs.id, { invoice: 1 }, 1, 'invoice.paid');

    expect([genuine.status, forged.status]).toEqual(['succeeded', 'succeeded']);
    const [fromAlice, fromBob] = receiver.requests;
    const alicesVerifier = new Webhook(alices.secret);
    expect(() => alicesVerifier.verify(fromAlice.body, headerRecord(fromAlice.headers))).not.toThrow();
    expect(() => alicesVerifier.verify(fromBob.body, headerRecord(fromBob.headers))).toThrow(
      'No matching signature found',
    );
    expect(() => new Webhook(bobs.secret).verify(fromBob.body, headerRecord(fromBob.headers))).not.toThrow();
  });

  it('rotates the secret: the new one is shown once, both sign during the grace period, then only the new one', async () => {
    const created = await alice.register(receiver.url());
    const res = await alice.rotate(created.id);
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as EndpointJson & { secret: string };
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.previousSecretExpiresAt).not.toBeNull();

    await deliver(alice.tasks, created.id, { n: 'during grace' }, 1);
    const during = receiver.requests[0];
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [created.secret, rotated.secret]) {
      expect(() => new Webhook(secret).verify(during.body, headerRecord(during.headers))).not.toThrow();
    }

    await new Promise((resolve) => setTimeout(resolve, GRACE_S * 1000 + 200));
    await deliver(alice.tasks, created.id, { n: 'after grace' }, 1);
    const after = receiver.requests[1];
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => new Webhook(rotated.secret).verify(after.body, headerRecord(after.headers))).not.toThrow();
    expect(() => new Webhook(created.secret).verify(after.body, headerRecord(after.headers))).toThrow(
      'No matching signature found',
    );
  });

  it('fails a queued delivery to a deleted endpoint permanently, with a stable code', async () => {
    const created = await alice.register(receiver.url());
    const task = await alice.tasks.create({
      type: 'webhooks.deliver',
      payload: { endpointId: created.id, eventType: 'test.deleted', payload: {} },
      delayMs: 1500,
      maxAttempts: 3,
    });
    expect((await alice.remove(created.id)).status).toBe(204);

    const finished = await alice.tasks.waitFor(task.id, (current) => current.status === 'failed');
    expect(finished).toMatchObject({ attempts: 1, error: { code: 'WEBHOOKS.ENDPOINT_DELETED' } });
    expect(receiver.requests).toHaveLength(0);
  });

  it('caps the endpoints per owner and paginates the list with a cursor', async () => {
    const carol = await signedInWebhooksApi(t);
    for (let n = 0; n < MAX_ENDPOINTS; n++) await carol.register(receiver.url(`/hook/${n}`));
    const over = await carol.call('POST', '', { url: receiver.url('/one-too-many') });
    expect(over.status).toBe(409);
    expect(((await over.json()) as { code: string }).code).toBe('WEBHOOKS.ENDPOINT_LIMIT');

    const first = (await (await carol.list('limit=2')).json()) as { items: EndpointJson[]; nextCursor: string };
    expect(first.items.map((item) => item.url)).toEqual([receiver.url('/hook/2'), receiver.url('/hook/1')]);
    const second = (await (await carol.list(`limit=2&cursor=${first.nextCursor}`)).json()) as {
      items: EndpointJson[];
      nextCursor: string | null;
    };
    expect(second).toEqual({ items: [expect.objectContaining({ url: receiver.url('/hook/0') })], nextCursor: null });
  });

  it('refuses a malformed body with 400 naming each field, and an event type that is not a dotted name', async () => {
    const res = await alice.call('POST', '', { url: 'not a url', description: 42, extra: true });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as { errors: { field: string }[] }).errors.map((error) => error.field).sort();
    expect(fields).toEqual(['description', 'extra', 'url']);

    const badEvent = await alice.tasks.submit({
      type: 'webhooks.deliver',
      payload: { endpointId: (await alice.register(receiver.url())).id, eventType: 'no dots here', payload: {} },
    });
    expect(badEvent.status).toBe(400);
  });
});
