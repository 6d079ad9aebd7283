import { createHmac } from 'node:crypto';

/**
 * Signs deliveries the Standard Webhooks way (standardwebhooks.com): HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<body>` with the base64-decoded part of a `whsec_`
 * secret, sent as `webhook-signature: v1,<base64>`. With several secrets (during a rotation)
 * the signatures are space-separated, as the convention allows: a receiver holding either
 * secret verifies. Receivers also reject stale timestamps and drop repeated `webhook-id`s.
 */
export function signatureHeaders(
  secrets: readonly string[],
  deliveryId: string,
  body: string,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    return `v1,${createHmac('sha256', key).update(`${deliveryId}.${timestamp}.${body}`).digest('base64')}`;
  });
  return { 'webhook-id': deliveryId, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
