import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';
import { type TaskJson, isFinished } from '../tasks/tasks-api.js';
import {
  WEBHOOK_TEST_ENV,
  type WebhooksApi,
  WebhookReceiver,
  circuitsCheck,
  signedInWebhooksApi,
} from './webhook-receiver.js';

/** Short settings: the outage outlasts several cool-downs and every retry delay of TASKS_TEST_ENV. */
const THRESHOLD = 3;
const COOLDOWN_MS = 1000;
const OUTAGE_MS = 3000;
const DELIVERIES = 12;

describe('A webhook receiver that goes away for a while (e2e)', () => {
  let t: TestApp;
  let webhooks: WebhooksApi;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...WEBHOOK_TEST_ENV,
        CIRCUIT_BREAKER_THRESHOLD: String(THRESHOLD),
        CIRCUIT_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
      },
    });
    webhooks = await signedInWebhooksApi(t);
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('loses no delivery, and spends no attempt on a call the open circuit refused', async () => {
    const endpoint = await webhooks.register(receiver.url());
    receiver.answer([], { status: 503 });
    const submitted: TaskJson[] = [];
    for (let n = 0; n < DELIVERIES; n++) {
      submitted.push(
        await webhooks.tasks.create({
          type: 'webhooks.deliver',
          payload: { endpointId: endpoint.id, eventType: 'test.outage', payload: { n } },
        }),
      );
    }
    await waitFor(
      'the open circuit',
      () => circuitsCheck(t),
      (check) => check.degraded === true,
    );
    await sleep(OUTAGE_MS);
    receiver.answer([], { status: 200 });

    const done = await Promise.all(submitted.map((task) => webhooks.tasks.waitFor(task.id, isFinished, 60_000)));

    expect(done.filter((task) => task.status !== 'succeeded')).toEqual([]);
    expect(done.map((task) => task.result)).toEqual(
      done.map((task) => ({ deliveryId: `msg_${task.id}`, status: 200 })),
    );
    // Every attempt a task counted reached the receiver: none was spent on a refusal.
    const attempts = done.reduce((sum, task) => sum + task.attempts, 0);
    expect(attempts).toBe(receiver.requests.length);
    // The circuit did refuse calls meanwhile: it opened after THRESHOLD failures.
    expect(t.logs.lines.some((line) => line.msg === 'Delivery not tried: circuit open')).toBe(true);
  });
});
