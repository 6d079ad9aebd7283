import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type WebhooksConfig, webhooksConfig } from '../../../infrastructure/config/webhooks.config.js';

/**
 * Signs deliveries the Standard Webhooks way (standardwebhooks.com): HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<body>` with the base64-decoded part of a `whsec_`
 * secret, sent as `webhook-signature: v1,<base64>`. Receivers verify with any Standard
 * Webhooks library, reject stale timestamps and drop repeated `webhook-id`s.
 */
@Injectable()
export class WebhookSigner {
  private readonly key: Buffer;

  constructor(@Inject(webhooksConfig.KEY) config: WebhooksConfig) {
    this.key = Buffer.from(config.secret.slice('whsec_'.length), 'base64');
  }

  headers(deliveryId: string, body: string, now: Date = new Date()): Record<string, string> {
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const signature = createHmac('sha256', this.key).update(`${deliveryId}.${timestamp}.${body}`).digest('base64');
    return { 'webhook-id': deliveryId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
  }
}
