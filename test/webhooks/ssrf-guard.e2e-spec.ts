import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { signedInTasksApi, type TasksApi } from '../tasks/tasks-api.js';
import { WEBHOOK_TEST_ENV, WebhookReceiver, circuitsCheck, deliver } from './webhook-receiver.js';

const targets = (port: number) => [
  `http://127.0.0.1:${port}/hook`,
  `http://localhost:${port}/hook`,
  `http://[::1]:${port}/hook`,
  `http://[::ffff:127.0.0.1]:${port}/hook`,
  'http://169.254.169.254/latest/meta-data',
  'http://10.0.0.1/',
];

describe('Webhook SSRF guard (e2e, WEBHOOK_ALLOW_PRIVATE_TARGETS=false)', () => {
  let t: TestApp;
  let api: TasksApi;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...WEBHOOK_TEST_ENV,
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
        CIRCUIT_BREAKER_THRESHOLD: '1',
        // Bounds the wait should a refused address be dialled after all (10.0.0.1 does not answer).
        OUTBOUND_TIMEOUT_MS: '2000',
      },
    });
    ({ api } = await signedInTasksApi(t.url));
    // Listening on :: takes IPv4 and IPv6 loopback alike, so no loopback spelling misses it by accident.
    receiver = await WebhookReceiver.start('::');
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('refuses loopback, link-local and private targets at the first attempt, without dialling them or opening their circuits', async () => {
    for (const url of targets(receiver.port)) {
      const task = await deliver(api, url, { probe: url }, 3);

      expect({ url, status: task.status, attempts: task.attempts, code: task.error?.code }).toEqual({
        url,
        status: 'failed',
        attempts: 1,
        code: 'WEBHOOKS.TARGET_REFUSED',
      });
    }
    expect(receiver.requests).toHaveLength(0);
    // A refusal is not the target failing: with a threshold of 1 its circuit would be open otherwise.
    expect(await circuitsCheck(t)).toEqual({ status: 'up', open: {} });
  });
});
