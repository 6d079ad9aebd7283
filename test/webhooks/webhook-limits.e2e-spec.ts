import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { waitUntil } from '../helpers/wait-for.js';
import { WEBHOOK_TEST_ENV, WebhookReceiver, deliver, signedInWebhooksApi } from './webhook-receiver.js';

/** A few ms of leeway between the receiver's clock and the queue's, not a tolerance on the delay itself. */
const CLOCK_SLACK_MS = 20;

describe('Webhook delivery limits (e2e): Retry-After and the outbound time limit', () => {
  let t: TestApp | undefined;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await receiver?.close();
    await t?.close();
    t = undefined;
  });

  it('waits as long as a 429 Retry-After asks, although the backoff alone would be far shorter', async () => {
    t = await createTestApp({ env: { ...WEBHOOK_TEST_ENV, RETRY_BASE_DELAY_MS: '100', RETRY_MAX_DELAY_MS: '200' } });
    const webhooks = await signedInWebhooksApi(t);
    const endpoint = await webhooks.register(receiver.url());
    receiver.answer([{ status: 429, headers: { 'retry-after': '1' } }], { status: 200 });

    const task = await deliver(webhooks.tasks, endpoint.id, { event: 'rate.limited' }, 3);

    expect(task).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(task.result).toEqual({ deliveryId: `msg_${task.id}`, status: 200 });
    const [first, second] = receiver.requests;
    expect(receiver.requests).toHaveLength(2);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000 - CLOCK_SLACK_MS);
  });

  it('aborts a call that outlasts OUTBOUND_TIMEOUT_MS and fails the attempt with RESILIENCE.TIMEOUT', async () => {
    t = await createTestApp({ env: { ...WEBHOOK_TEST_ENV, OUTBOUND_TIMEOUT_MS: '300' } });
    const webhooks = await signedInWebhooksApi(t);
    const endpoint = await webhooks.register(receiver.url());
    receiver.answer([], 'hang');

    const task = await deliver(webhooks.tasks, endpoint.id, { event: 'slow.receiver' }, 1);

    expect(task).toMatchObject({ status: 'failed', attempts: 1 });
    expect(task.error).toEqual({
      code: 'RESILIENCE.TIMEOUT',
      message: 'The endpoint did not answer in time',
      attempt: 1,
    });
    expect(receiver.requests).toHaveLength(1);
    // The timed-out request is torn down, not left open on the receiver.
    await waitUntil(() => receiver.requests[0].abandoned, 'the receiver saw the connection closed');
  });
});
