import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress } from 'node:dns';
import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, appConfig } from '../../../infrastructure/config/app.config.js';
import { type WebhooksConfig, webhooksConfig } from '../../../infrastructure/config/webhooks.config.js';
import { assertPublic, canonicalAddress, literalAddress } from '../domain/target-guard.js';

export interface WebhookResponse {
  status: number;
  retryAfter?: string;
}

/** Where one delivery goes: the URL, and the one address (checked) that the connection will use. */
export interface ResolvedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
  /** The address's circuit name (`loopback:8080`, `203.0.113.7:443`): one per place reached, however spelled. */
  circuit: string;
}

/** The DNS lookup of the target failed. Its message is for the log only (it names the host). */
export class TargetUnresolvedError extends Error {
  constructor(host: string, cause: unknown) {
    super(`Could not resolve ${host}: ${(cause as Error).message}`, { cause });
    this.name = 'TargetUnresolvedError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * One POST, on Node's own http client. The host is resolved first ({@link resolve}), every
 * address it resolves to is checked (target-guard.ts), and the connection is then pinned to
 * the checked address through the request's `lookup`: a name that resolves to a public address
 * for the check and to 127.0.0.1 for the connection (DNS rebinding) gets nowhere. TLS still
 * verifies the certificate against the host name. Redirects are not followed (a 3xx is the
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

  /**
   * @throws {TargetRefusedError} an address is special-purpose (unless WEBHOOK_ALLOW_PRIVATE_TARGETS)
   * @throws {TargetUnresolvedError} DNS gave no answer
   */
  async resolve(url: URL): Promise<ResolvedTarget> {
    const literal = literalAddress(url);
    let addresses: LookupAddress[];
    if (literal) {
      addresses = [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
    } else {
      try {
        addresses = await lookup(url.hostname, { all: true });
      } catch (error) {
        throw new TargetUnresolvedError(url.hostname, error);
      }
      if (addresses.length === 0) throw new TargetUnresolvedError(url.hostname, new Error('no addresses'));
    }
    if (!this.config.allowPrivateTargets) for (const { address } of addresses) assertPublic(url.hostname, address);
    const [{ address, family }] = addresses;
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return { url, address, family: family === 6 ? 6 : 4, circuit: `${canonicalAddress(address)}:${port}` };
  }

  post(
    target: ResolvedTarget,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<WebhookResponse> {
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const pinned = (_hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
      if (options.all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };

    return new Promise((resolve, reject) => {
      const outgoing = request(
        target.url,
        {
          method: 'POST',
          signal,
          lookup: pinned as never,
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
