import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, appConfig } from '../../../infrastructure/config/app.config.js';
import { type WebhooksConfig, webhooksConfig } from '../../../infrastructure/config/webhooks.config.js';
import { assertPublic, literalAddress, publicOnlyLookup } from './target-guard.js';

export interface WebhookResponse {
  status: number;
  retryAfter?: string;
}

/**
 * One POST, on Node's own http client: it takes a `lookup` per request, which is where
 * the SSRF guard sits (see target-guard.ts). Redirects are not followed (a 3xx is the
 * receiver's answer), and the response body is discarded.
 */
@Injectable()
export class WebhookClient {
  private readonly userAgent: string;

  constructor(
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
    @Inject(appConfig.KEY) app: AppConfig,
  ) {
    this.userAgent = `${app.name}/${app.version} (webhooks)`;
  }

  post(url: URL, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<WebhookResponse> {
    const literal = literalAddress(url);
    if (literal && !this.config.allowPrivateTargets) assertPublic(url.hostname, literal);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;

    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          signal,
          lookup: this.config.allowPrivateTargets ? undefined : publicOnlyLookup,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': this.userAgent,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            const retryAfter = response.headers['retry-after'];
            resolve({ status: response.statusCode ?? 0, retryAfter });
          });
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}
