import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { waitUntil } from '../helpers/wait-for.js';
import { isFinished } from '../tasks/tasks-api.js';
import {
  WEBHOOK_TEST_ENV,
  type WebhooksApi,
  WebhookReceiver,
  circuitsCheck,
  deliver,
  signedInWebhooksApi,
} from './webhook-receiver.js';

const THRESHOLD = 3;
// Long enough that the fail-fast call below lands inside the cool-down even on a busy machine.
const COOLDOWN_MS = 3000;

const CLOSED = { status: 'up', open: {} };

describe('Webhook circuit breaker (e2e)', () => {
  let t: TestApp;
  let webhooks: WebhooksApi;
  let failing: WebhookReceiver;
  let healthy: WebhookReceiver;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...WEBHOOK_TEST_ENV,
        CIRCUIT_BREAKER_THRESHOLD: String(THRESHOLD),
        CIRCUIT_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
      },
    });
    webhooks = await signedInWebhooksApi(t);
  });
  beforeEach(async () => {
    failing = (await WebhookReceiver.start('::')).answer([], { status: 503 });
    healthy = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await failing?.close();
    await healthy?.close();
  });
  afterAll(() => t?.close());

  it('opens per endpoint and address after consecutive failures, fails fast while open (the refused delivery waits for the circuit, its attempt not spent), and closes after a good trial call', async () => {
    const endpoint = await webhooks.register(failing.url());
    const endpointCircuit = `webhook-endpoint:${endpoint.id}`;
    for (let n = 1; n <= THRESHOLD; n++) {
      const task = await deliver(webhooks.tasks, endpoint.id, { n }, 1);
      expect(task).toMatchObject({ status: 'failed', error: { code: 'WEBHOOKS.HTTP_503' } });
    }
    const openedBy = Date.now();
    expect(failing.requests).toHaveLength(THRESHOLD);
    expect(await circuitsCheck(t)).toEqual({
      status: 'up',
      degraded: true,
      open: { [endpointCircuit]: 'open', [failing.addressCircuit]: 'open' },
    });
    const opened = t.logs.lines.find((line) => line.circuit === endpointCircuit && line.state === 'open');
    expect(opened?.msg).toMatch(new RegExp(`${endpointCircuit} opened after ${THRESHOLD} consecutive failures`));

    const refused = await webhooks.tasks.create({
      type: 'webhooks.deliver',
      payload: { endpointId: endpoint.id, eventType: 'test.event', payload: { n: 'fail fast' } },
      maxAttempts: 1,
    });
    const waiting = await webhooks.tasks.waitFor(refused.id, (task) => task.nextAttemptAt !== null);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 0, error: null });
    // It comes back when the cool-down is over, not before.
    expect(Date.parse(waiting.nextAttemptAt!)).toBeGreaterThanOrEqual(openedBy + COOLDOWN_MS - 1000);
    expect(failing.requests).toHaveLength(THRESHOLD);
    const notTried = t.logs.lines.find(
      (line) => line.taskId === refused.id && line.msg === 'Delivery not tried: circuit open',
    );
    expect(notTried).toMatchObject({ retryInMs: expect.any(Number) });

    const elsewhere = await deliver(webhooks.tasks, (await webhooks.register(healthy.url())).id, { n: 'other' }, 1);
    expect(elsewhere).toMatchObject({ status: 'succeeded', result: { status: 200 } });
    expect(healthy.requests).toHaveLength(1);

    failing.answer([], { status: 200 });
    // The refused delivery, its one attempt intact, is the trial call after the cool-down.
    const trial = await webhooks.tasks.waitFor(refused.id, isFinished, 30_000);
    expect(trial).toMatchObject({ status: 'succeeded', attempts: 1, result: { status: 200 } });
    expect(failing.requests).toHaveLength(THRESHOLD + 1);
    expect(await circuitsCheck(t)).toEqual(CLOSED);
  });

  it('shares one address circuit between 127.0.0.1, localhost, [::1] and [::ffff:127.0.0.1] (one endpoint each)', async () => {
    const spellings = ['127.0.0.1', 'localhost', '[::1]', '[::ffff:127.0.0.1]'].map(
      (host) => `${host}:${failing.port}`,
    );
    const endpoints = [];
    for (const host of spellings) endpoints.push(await webhooks.register(failing.url('/hook', host)));

    for (const endpoint of endpoints.slice(0, THRESHOLD)) {
      const task = await deliver(webhooks.tasks, endpoint.id, { via: endpoint.url }, 1);
      expect(task).toMatchObject({ status: 'failed', error: { code: 'WEBHOOKS.HTTP_503' } });
    }
    const fourth = await webhooks.tasks.create({
      type: 'webhooks.deliver',
      payload: {
        endpointId: endpoints[THRESHOLD].id,
        eventType: 'test.event',
        payload: { via: endpoints[THRESHOLD].url },
      },
      maxAttempts: 1,
    });

    // The fourth spelling is a new endpoint (its own circuit closed) but the same address: not
    // dialled; the delivery waits for the circuit.
    expect(await webhooks.tasks.waitFor(fourth.id, (task) => task.nextAttemptAt !== null)).toMatchObject({
      status: 'queued',
      attempts: 0,
    });
    expect(failing.requests).toHaveLength(THRESHOLD);
    const { open } = (await circuitsCheck(t)) as { open: Record<string, string> };
    expect(open[failing.addressCircuit]).toBe('open');
    expect(Object.keys(open).filter((key) => key.startsWith('webhook-address:'))).toEqual([failing.addressCircuit]);
  });
});

describe('Cancelling a webhook delivery (e2e)', () => {
  let t: TestApp;
  let webhooks: WebhooksApi;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    // A threshold of 1: a cancelled call counted as the target's failure would open the circuit at once.
    t = await createTestApp({
      env: {
        ...WEBHOOK_TEST_ENV,
        CIRCUIT_BREAKER_THRESHOLD: '1',
        OUTBOUND_TIMEOUT_MS: '60000',
        TASK_CANCEL_POLL_MS: '100',
      },
    });
    webhooks = await signedInWebhooksApi(t);
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('stops a delivery whose receiver hangs, without counting it against the receiver’s circuits', async () => {
    const endpoint = await webhooks.register(receiver.url());
    receiver.answer(['hang'], { status: 200 });
    const task = await webhooks.tasks.create({
      type: 'webhooks.deliver',
      payload: { endpointId: endpoint.id, eventType: 'test.hang', payload: { n: 1 } },
    });
    await receiver.waitForRequests(1);

    const res = await webhooks.tasks.cancel(task.id);
    expect(res.status).toBe(202);
    const cancelled = await webhooks.tasks.waitFor(task.id, (current) => current.status === 'cancelled');
    expect(cancelled).toMatchObject({ status: 'cancelled', attempts: 1 });
    await waitUntil(() => receiver.requests[0].abandoned, 'the hanging request was closed by the app');

    expect(await circuitsCheck(t)).toEqual(CLOSED);
    const next = await deliver(webhooks.tasks, endpoint.id, { n: 2 }, 1);
    expect(next).toMatchObject({ status: 'succeeded', result: { status: 200 } });
    expect(receiver.requests).toHaveLength(2);
  });
});
