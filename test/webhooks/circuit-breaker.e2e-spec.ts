import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { signedInTasksApi, type TasksApi } from '../tasks/tasks-api.js';
import { waitUntil } from '../helpers/wait-for.js';
import { WEBHOOK_TEST_ENV, WebhookReceiver, circuitsCheck, deliver } from './webhook-receiver.js';

const THRESHOLD = 3;
// Long enough that the fail-fast call below lands inside the cool-down even on a busy machine.
const COOLDOWN_MS = 3000;

const CLOSED = { status: 'up', open: {} };

describe('Webhook circuit breaker (e2e)', () => {
  let t: TestApp;
  let api: TasksApi;
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
    ({ api } = await signedInTasksApi(t.url));
    failing = (await WebhookReceiver.start()).answer([], { status: 503 });
    healthy = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await failing?.close();
    await healthy?.close();
    await t?.close();
  });

  it('opens per host after consecutive failures, fails fast while open, and closes after a good trial call', async () => {
    for (let n = 1; n <= THRESHOLD; n++) {
      const task = await deliver(api, failing.url(), { n }, 1);
      expect(task).toMatchObject({ status: 'failed', error: { code: 'WEBHOOKS.HTTP_503' } });
    }
    const openedBy = Date.now();
    expect(failing.requests).toHaveLength(THRESHOLD);
    expect(await circuitsCheck(t)).toEqual({ status: 'up', degraded: true, open: { [failing.host]: 'open' } });
    const opened = t.logs.lines.find((line) => line.circuit === failing.host && line.state === 'open');
    expect(opened?.msg).toMatch(new RegExp(`${failing.host} opened after ${THRESHOLD} consecutive failures`));

    const refused = await deliver(api, failing.url(), { n: 'fail fast' }, 1);
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'RESILIENCE.CIRCUIT_OPEN' } });
    expect(failing.requests).toHaveLength(THRESHOLD);

    const elsewhere = await deliver(api, healthy.url(), { n: 'other host' }, 1);
    expect(elsewhere).toMatchObject({ status: 'succeeded', result: { status: 200 } });
    expect(healthy.requests).toHaveLength(1);

    await sleep(Math.max(0, openedBy + COOLDOWN_MS + 100 - Date.now()));
    failing.answer([], { status: 200 });
    const trial = await deliver(api, failing.url(), { n: 'after cool-down' }, 1);
    expect(trial).toMatchObject({ status: 'succeeded', result: { status: 200 } });
    expect(failing.requests).toHaveLength(THRESHOLD + 1);
    expect(await circuitsCheck(t)).toEqual(CLOSED);
  });
});

describe('Cancelling a webhook delivery (e2e)', () => {
  let t: TestApp;
  let api: TasksApi;
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
    ({ api } = await signedInTasksApi(t.url));
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('stops a delivery whose receiver hangs, without counting it against the receiver’s circuit', async () => {
    receiver.answer(['hang'], { status: 200 });
    const task = await api.create({ type: 'webhooks.deliver', payload: { url: receiver.url(), body: { n: 1 } } });
    await receiver.waitForRequests(1);

    const res = await api.cancel(task.id);
    expect(res.status).toBe(202);
    const cancelled = await api.waitFor(task.id, (current) => current.status === 'cancelled');
    expect(cancelled).toMatchObject({ status: 'cancelled', attempts: 1 });
    await waitUntil(() => receiver.requests[0].abandoned, 'the hanging request was closed by the app');

    expect(await circuitsCheck(t)).toEqual(CLOSED);
    const next = await deliver(api, receiver.url(), { n: 2 }, 1);
    expect(next).toMatchObject({ status: 'succeeded', result: { status: 200 } });
    expect(receiver.requests).toHaveLength(2);
  });
});
