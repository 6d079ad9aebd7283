import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsUrl, MaxLength } from 'class-validator';
import { parseRetryAfter } from '../../../infrastructure/resilience/backoff.js';
import { ResilienceService } from '../../../infrastructure/resilience/resilience.service.js';
import {
  PermanentError,
  type TaskContext,
  TaskHandler,
  type TaskRunner,
  TransientError,
} from '../../tasks/tasks.contracts.js';
import { WEBHOOKS_DELIVER, type DeliverWebhookInput } from '../webhooks.contracts.js';
import { TargetRefusedError } from '../infrastructure/target-guard.js';
import { WebhookClient, type WebhookResponse } from '../infrastructure/webhook-client.js';
import { WebhookSigner } from '../infrastructure/webhook-signer.js';

export class DeliverWebhookPayload implements DeliverWebhookInput {
  @ApiProperty({ example: 'https://example.com/hooks/orders', maxLength: 2048 })
  @MaxLength(2048)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http or https URL' },
  )
  url: string;

  @ApiProperty({
    description: 'Any JSON value, sent as the request body',
    oneOf: [
      { type: 'object' },
      { type: 'array', items: {} },
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
    ],
    nullable: true,
    example: { event: 'order.paid', id: 42 },
  })
  @IsDefined({ message: 'body must be present (any JSON value)' })
  body: unknown;
}

export interface DeliveryResult {
  deliveryId: string;
  status: number;
}

/**
 * POSTs `body` to `url`, signed (Standard Webhooks), under the target host's circuit breaker
 * and the outbound time limit. 2xx succeeds. Network errors, timeouts, 5xx and 429 are
 * transient: the task retries with backoff, no sooner than a `Retry-After`. Any other answer
 * (3xx, 4xx) or a refused target fails the task at once.
 *
 * Safe to run twice: every attempt carries the same `webhook-id` (the task id), so a receiver
 * that saw the first delivery drops the repeat, as the convention asks of receivers.
 */
@Injectable()
@TaskHandler({
  type: WEBHOOKS_DELIVER,
  submitters: 'users',
  outbound: true,
  payload: DeliverWebhookPayload,
  maxAttempts: 5,
  description: 'POSTs a signed JSON body to a URL, with retries and a circuit breaker per host',
})
export class DeliverWebhookTask implements TaskRunner<DeliverWebhookPayload, DeliveryResult> {
  constructor(
    private readonly client: WebhookClient,
    private readonly signer: WebhookSigner,
    private readonly resilience: ResilienceService,
  ) {}

  async run(payload: DeliverWebhookPayload, context: TaskContext): Promise<DeliveryResult> {
    const url = new URL(payload.url);
    const deliveryId = `msg_${context.taskId}`;
    const body = JSON.stringify(payload.body);

    const outcome = await this.resilience.execute(url.host, (signal) => this.post(url, body, deliveryId, signal), {
      signal: context.signal,
    });
    if (outcome instanceof TargetRefusedError) throw new PermanentError(outcome.message, outcome.code);
    if (outcome.status < 200 || outcome.status >= 300) {
      throw new PermanentError(
        `${url.host} answered ${outcome.status}; not retried`,
        `WEBHOOKS.HTTP_${outcome.status}`,
      );
    }
    context.logger.log({ status: outcome.status, deliveryId }, `Delivered to ${url.host}`);
    return { deliveryId, status: outcome.status };
  }

  /** Throws only for failures of the target (they count against its circuit); returns every other outcome. */
  private async post(
    url: URL,
    body: string,
    deliveryId: string,
    signal: AbortSignal,
  ): Promise<WebhookResponse | TargetRefusedError> {
    let response: WebhookResponse;
    try {
      response = await this.client.post(url, body, this.signer.headers(deliveryId, body), signal);
    } catch (error) {
      if (error instanceof TargetRefusedError) return error;
      if (signal.aborted) throw error;
      throw new TransientError(`Could not reach ${url.host}: ${(error as Error).message}`, 'WEBHOOKS.NETWORK_ERROR');
    }
    if (response.status >= 500 || response.status === 429) {
      throw new TransientError(
        `${url.host} answered ${response.status}`,
        `WEBHOOKS.HTTP_${response.status}`,
        parseRetryAfter(response.retryAfter),
      );
    }
    return response;
  }
}
