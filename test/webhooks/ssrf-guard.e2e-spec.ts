import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { withClient } from '../helpers/test-database.js';
import {
  WEBHOOK_TEST_ENV,
  type WebhooksApi,
  WebhookReceiver,
  circuitsCheck,
  deliver,
  signedInWebhooksApi,
} from './webhook-receiver.js';

const PRIVATE_URLS = (port: number) => [
  `http://127.0.0.1:${port}/hook`,
  `http://localhost:${port}/hook`,
  `http://[::1]:${port}/hook`,
  `http://[::ffff:127.0.0.1]:${port}/hook`,
  `http://[::7f00:1]:${port}/hook`,
  `http://2130706433:${port}/hook`,
  'http://169.254.169.254/latest/meta-data',
  'http://10.0.0.1/',
  'http://[fd00::1]/',
  'http://[64:ff9b::a9fe:a9fe]/',
];

/** Points an endpoint at another URL behind the API's back: as if DNS or the rules changed after registration. */
const moveEndpoint = (t: TestApp, id: string, url: string) =>
  withClient(t.databaseUrl, (db) => db.query(`UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [id, url]));

describe('Webhook SSRF guard (e2e, WEBHOOK_ALLOW_PRIVATE_TARGETS=false)', () => {
  let t: TestApp;
  let webhooks: WebhooksApi;
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
    webhooks = await signedInWebhooksApi(t);
    // Listening on :: takes IPv4 and IPv6 loopback alike, so no loopback spelling misses it by accident.
    receiver = await WebhookReceiver.start('::');
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('refuses to register loopback, link-local, private and reserved targets, whatever their spelling', async () => {
    for (const url of PRIVATE_URLS(receiver.port)) {
      const res = await webhooks.call('POST', '', { url, description: 'probe' });
      const problem = (await res.json()) as { code: string; errors?: { field: string }[] };
      // 422 WEBHOOKS.URL_REFUSED; the request DTO's URL check already answers 400 for the decimal form.
      const expected = url.includes('2130706433') ? 'HTTP.VALIDATION_FAILED' : 'WEBHOOKS.URL_REFUSED';
      expect({ url, code: problem.code }).toEqual({ url, code: expected });
      expect([400, 422]).toContain(res.status);
      expect(problem.errors?.[0]).toMatchObject({ field: 'url' });
    }
  });

  it('refuses credentials in the URL, and http when https is required', async () => {
    const credentials = await webhooks.call('POST', '', { url: 'http://user:pw@hooks.example.com/in' });
    expect(credentials.status).toBe(422);
    const https = await createTestApp({
      databaseUrl: t.databaseUrl,
      env: { ...WEBHOOK_TEST_ENV, WEBHOOK_REQUIRE_HTTPS: 'true' },
    });
    try {
      const res = await (await signedInWebhooksApi(https)).call('POST', '', { url: 'http://hooks.example.com/in' });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { detail: string }).detail).toContain('https');
    } finally {
      await https.close();
    }
  });

  it('checks the resolved address at delivery: a name that resolves to loopback fails with a code and no address', async () => {
    // `vm` passes registration (a name is not resolved then: no DNS oracle) and resolves to 127.0.0.1 (/etc/hosts).
    const byName = await webhooks.register(`http://vm:${receiver.port}/hook`).catch(() => undefined);
    const endpoint = byName ?? (await webhooks.register('http://hooks.example.com/in'));
    if (!byName) await moveEndpoint(t, endpoint.id, `http://localhost:${receiver.port}/hook`);
    const moved = [endpoint.id];
    for (const url of [`http://[::7f00:1]:${receiver.port}/hook`, 'http://169.254.169.254/latest/meta-data']) {
      const other = await webhooks.register('http://hooks.example.com/in');
      await moveEndpoint(t, other.id, url);
      moved.push(other.id);
    }

    for (const id of moved) {
      const task = await deliver(webhooks.tasks, id, { probe: id }, 3);
      expect(task).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'WEBHOOKS.TARGET_REFUSED' } });
      const shown = JSON.stringify(task.error);
      for (const leak of ['127.0.0.1', '::7f00:1', '169.254', 'vm', 'localhost', String(receiver.port), 'resolves']) {
        expect({ leak, shown: shown.includes(leak) }).toEqual({ leak, shown: false });
      }
      // The detail is in the log, under the task's id.
      expect(t.logs.lines.some((line) => line.taskId === task.id && /refused/i.test(String(line.msg)))).toBe(true);
    }
    expect(receiver.requests).toHaveLength(0);
    // A refusal is not the target failing: with a threshold of 1 a circuit would be open otherwise.
    expect(await circuitsCheck(t)).toEqual({ status: 'up', open: {} });
  });
});
