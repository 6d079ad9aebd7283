import { randomBytes } from 'node:crypto';
import { generateSigningJwk } from '../../src/modules/auth/infrastructure/signing-keys.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { describeWithRedis, testRedisUrl } from '../helpers/redis.js';
import {
  WEBHOOK_TEST_ENV,
  WebhookReceiver,
  circuitsCheck,
  deliver,
  signedInWebhooksApi,
  webhooksApi,
} from './webhook-receiver.js';

const THRESHOLD = 2;

/**
 * Two application instances (API and worker each) on one database: what one of them learns
 * about a failing target, the other knows. Both share the token signing key and the webhook
 * encryption key, as replicas must.
 */
function sharedCircuitSuite(extraEnv: () => Record<string, string>) {
  let first: TestApp;
  let second: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    const env = {
      ...WEBHOOK_TEST_ENV,
      ...extraEnv(),
      WEBHOOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AUTH_SIGNING_KEY: JSON.stringify(await generateSigningJwk()),
      CIRCUIT_BREAKER_THRESHOLD: String(THRESHOLD),
      CIRCUIT_BREAKER_COOLDOWN_MS: '60000',
      // A refused delivery fails at once instead of waiting for the cool-down (circuit-outage covers the wait).
      TASK_CIRCUIT_WAIT_MAX_MS: '0',
    };
    first = await createTestApp({ env });
    second = await createTestApp({ env, databaseUrl: first.databaseUrl });
    receiver = (await WebhookReceiver.start()).answer([], { status: 503 });
  });
  afterAll(async () => {
    await receiver?.close();
    await second?.close();
    await first?.close();
  });

  it('opens the circuit for both instances after the threshold is reached through one of them', async () => {
    const viaFirst = await signedInWebhooksApi(first);
    const endpoint = await viaFirst.register(receiver.url());
    for (let n = 0; n < THRESHOLD; n++) {
      const task = await deliver(viaFirst.tasks, endpoint.id, { n }, 1);
      expect(task.error?.code).toBe('WEBHOOKS.HTTP_503');
    }

    const expected = { [`webhook-endpoint:${endpoint.id}`]: 'open', [receiver.addressCircuit]: 'open' };
    expect(await circuitsCheck(first)).toMatchObject({ degraded: true, open: expected });
    expect(await circuitsCheck(second)).toMatchObject({ degraded: true, open: expected });

    // Submitted through the second instance, by the same owner: fails fast whichever worker takes it.
    const viaSecond = webhooksApi(second.url, viaFirst.session);
    for (let n = 0; n < 2; n++) {
      const task = await deliver(viaSecond.tasks, endpoint.id, { after: n }, 1);
      expect(task.error?.code).toBe('RESILIENCE.CIRCUIT_OPEN');
    }
    expect(receiver.requests).toHaveLength(THRESHOLD);
  });
}

describe('Circuit breakers shared through PostgreSQL (two instances, no Redis)', () => {
  sharedCircuitSuite(() => ({}));
});

describeWithRedis('Circuit breakers shared through Redis (two instances)', () => {
  sharedCircuitSuite(() => ({
    REDIS_URL: testRedisUrl!,
    QUEUE_PREFIX: `circuits_${randomBytes(4).toString('hex')}`,
  }));
});
