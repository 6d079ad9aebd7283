import { Webhook } from 'standardwebhooks';
import { newWebhookSecret } from '../domain/webhook-endpoint.js';
import { signatureHeaders } from './webhook-signer.js';

describe('signatureHeaders', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({
    type: 'order.paid',
    timestamp: '2026-03-01T12:00:00.900Z',
    data: { id: 42, note: 'ünïcødé' },
  });

  it('sends exactly the three Standard Webhooks headers', () => {
    const now = new Date('2026-03-01T12:00:00.900Z');
    const headers = signatureHeaders([secret], 'msg_1', body, now);

    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
  });

  it('signs as the reference library does, and its verify accepts the delivery', () => {
    const now = new Date();
    const headers = signatureHeaders([secret], 'msg_2', body, now);
    const reference = new Webhook(secret);

    expect(headers['webhook-signature']).toBe(reference.sign('msg_2', now, body));
    expect(reference.verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('fails verification when the body, the id or the timestamp was tampered with', () => {
    const headers = signatureHeaders([secret], 'msg_3', body);
    const reference = new Webhook(secret);

    expect(() => reference.verify(body.replace('42', '43'), headers)).toThrow('No matching signature found');
    expect(() => reference.verify(body, { ...headers, 'webhook-id': 'msg_4' })).toThrow('No matching signature found');
    const shifted = String(Number(headers['webhook-timestamp']) - 1);
    expect(() => reference.verify(body, { ...headers, 'webhook-timestamp': shifted })).toThrow(
      'No matching signature found',
    );
  });

  it('fails verification with another secret', () => {
    const headers = signatureHeaders([secret], 'msg_5', body);

    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow('No matching signature found');
  });

  it('during a rotation sends both signatures, space-separated; a receiver holding either secret verifies', () => {
    const next = newWebhookSecret();
    const headers = signatureHeaders([next, secret], 'msg_6', body);

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(next).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow('No matching signature found');
  });
});
