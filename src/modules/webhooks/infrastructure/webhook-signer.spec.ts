import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WebhookSigner } from './webhook-signer.js';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const signerFor = (secret: string) => new WebhookSigner({ secret, allowPrivateTargets: false });

describe('WebhookSigner', () => {
  const secret = newSecret();
  const body = JSON.stringify({ event: 'order.paid', id: 42, note: 'ünïcødé' });

  it('sends exactly the three Standard Webhooks headers', () => {
    const now = new Date('2026-03-01T12:00:00.900Z');
    const headers = signerFor(secret).headers('msg_1', body, now);

    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
  });

  it('signs as the reference library does, and its verify accepts the delivery', () => {
    const now = new Date();
    const headers = signerFor(secret).headers('msg_2', body, now);
    const reference = new Webhook(secret);

    expect(headers['webhook-signature']).toBe(reference.sign('msg_2', now, body));
    expect(reference.verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('fails verification when the body, the id or the timestamp was tampered with', () => {
    const headers = signerFor(secret).headers('msg_3', body);
    const reference = new Webhook(secret);

    expect(() => reference.verify(body.replace('42', '43'), headers)).toThrow('No matching signature found');
    expect(() => reference.verify(body, { ...headers, 'webhook-id': 'msg_4' })).toThrow('No matching signature found');
    const shifted = String(Number(headers['webhook-timestamp']) - 1);
    expect(() => reference.verify(body, { ...headers, 'webhook-timestamp': shifted })).toThrow(
      'No matching signature found',
    );
  });

  it('fails verification with another secret', () => {
    const headers = signerFor(secret).headers('msg_5', body);

    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow('No matching signature found');
  });
});
