import { Webhook } from 'standardwebhooks';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import type { TasksApi } from '../tasks/tasks-api.js';
import {
  WEBHOOK_TEST_ENV,
  type WebhooksApi,
  WebhookReceiver,
  deliver,
  headerRecord,
  signedInWebhooksApi,
} from './webhook-receiver.js';

/**
 * Retries wait for 50-100 % of the base delay, doubled each time, and the queue adds its own
 * pick-up latency (tens of ms, more on a busy machine). A base of 1 s keeps that latency small
 * next to the random part, so "each gap is longer than the last" is not decided by noise.
 */
const BASE_DELAY_MS = 1000;

describe('Webhook delivery (e2e, real receiver on 127.0.0.1)', () => {
  let t: TestApp;
  let api: TasksApi;
  let webhooks: WebhooksApi;
  let receiver: WebhookReceiver;
  let endpoint: { id: string; secret: string };

  beforeAll(async () => {
    t = await createTestApp({ env: { ...WEBHOOK_TEST_ENV, RETRY_BASE_DELAY_MS: String(BASE_DELAY_MS) } });
    webhooks = await signedInWebhooksApi(t);
    api = webhooks.tasks;
    // The first retry of a fresh app pays one-off costs (first queries, cold code paths) that
    // would lengthen only the first gap measured below.
    const warmUp = await WebhookReceiver.start();
    const warmUpEndpoint = await webhooks.register(warmUp.answer([{ status: 503 }]).url());
    await deliver(api, warmUpEndpoint.id, { warmUp: true });
    await warmUp.close();
  });
  afterAll(() => t?.close());

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
    endpoint = await webhooks.register(receiver.url());
  });
  afterEach(() => receiver?.close());

  it('retries 503s with growing gaps, then succeeds; every attempt is the same delivery, signed with the endpoint’s secret', async () => {
    receiver.answer([{ status: 503 }, { status: 503 }], { status: 200 });
    const data = { id: 42, lines: [{ sku: 'A-1', qty: 2 }], note: 'ünïcødé' };

    const task = await deliver(api, endpoint.id, data, undefined, 'order.paid');

    expect(task).toMatchObject({ status: 'succeeded', attempts: 3, error: null });
    expect(task.result).toEqual({ deliveryId: `msg_${task.id}`, status: 200 });
    expect(receiver.requests).toHaveLength(3);
    const verifier = new Webhook(endpoint.secret);
    for (const request of receiver.requests) {
      expect(request).toMatchObject({ method: 'POST', path: '/hook' });
      expect(request.headers['webhook-id']).toBe(`msg_${task.id}`);
      expect(request.headers['content-type']).toBe('application/json');
      // The Standard Webhooks envelope: the caller chooses `type` and `data`, never the whole body.
      expect(JSON.parse(request.body)).toEqual({ type: 'order.paid', timestamp: expect.any(String), data });
      expect(() => verifier.verify(request.body, headerRecord(request.headers))).not.toThrow();
    }
    const [first, second, third] = receiver.requests.map((request) => request.at);
    const gap1 = second - first;
    const gap2 = third - second;
    expect(gap1).toBeGreaterThanOrEqual(BASE_DELAY_MS / 2);
    expect(gap2).toBeGreaterThan(gap1);
  });

  it('fails after the last attempt against a target that always answers 500', async () => {
    receiver.answer([], { status: 500 });

    const task = await deliver(api, endpoint.id, { n: 1 }, 3);

    expect(task).toMatchObject({ status: 'failed', attempts: 3, result: null });
    expect(task.error).toMatchObject({ code: 'WEBHOOKS.HTTP_500', attempt: 3 });
    expect(receiver.requests).toHaveLength(3);
  });

  it.each([404, 410])('does not retry a %i answer: the task fails after one attempt', async (status) => {
    receiver.answer([], { status });

    const task = await deliver(api, endpoint.id, { n: 1 }, 3);

    expect(task).toMatchObject({ status: 'failed', attempts: 1 });
    expect(task.error).toMatchObject({ code: `WEBHOOKS.HTTP_${status}`, attempt: 1 });
    expect(receiver.requests).toHaveLength(1);
  });

  it('does not follow a redirect: the 3xx fails the task and the redirect target is never hit', async () => {
    receiver.answer([], { status: 307, headers: { location: receiver.url('/elsewhere') } });

    const task = await deliver(api, endpoint.id, { n: 1 }, 3);

    expect(task).toMatchObject({ status: 'failed', attempts: 1 });
    expect(task.error).toMatchObject({ code: 'WEBHOOKS.HTTP_307', attempt: 1 });
    expect(receiver.requests.map((request) => request.path)).toEqual(['/hook']);
  });
});
