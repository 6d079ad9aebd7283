import { freePort } from '../helpers/free-port.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { WEBHOOK_TEST_ENV, deliver, signedInWebhooksApi } from './webhook-receiver.js';

/**
 * A delivery's error must not turn the API into a port scanner: which port refused, and what
 * the resolver said, go to the log only. (Its own file: log lines reach only the first app of a file.)
 */
describe('Webhook network errors (e2e): no port oracle', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...WEBHOOK_TEST_ENV, CIRCUIT_BREAKER_THRESHOLD: '100' } });
  });
  afterAll(() => t?.close());

  it('a refused port fails with WEBHOOKS.NETWORK_ERROR and a fixed message; the detail goes to the log', async () => {
    const webhooks = await signedInWebhooksApi(t);
    const closedPort = await freePort();
    const endpoint = await webhooks.register(`http://127.0.0.1:${closedPort}/hook`);

    const task = await deliver(webhooks.tasks, endpoint.id, { n: 1 }, 1);

    expect(task.error).toEqual({
      code: 'WEBHOOKS.NETWORK_ERROR',
      message: 'The endpoint could not be reached',
      attempt: 1,
    });
    expect(JSON.stringify(task)).not.toContain(String(closedPort));
    expect(JSON.stringify(task)).not.toContain('ECONNREFUSED');
    const logged = t.logs.lines.find((line) => line.taskId === task.id && line.msg === 'Delivery failed: network');
    expect(logged).toMatchObject({ code: 'ECONNREFUSED', detail: expect.stringContaining(`:${closedPort}`) });
  });
});
