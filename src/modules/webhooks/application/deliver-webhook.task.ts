import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { type WebhooksConfig, webhooksConfig } from '../../../infrastructure/config/webhooks.config.js';
import { OpenJson } from '../../../infrastructure/http/json-open-value.js';
import { parseRetryAfter } from '../../../infrastructure/resilience/backoff.js';
import {
  CallTimeoutError,
  CircuitOpenError,
  NotAttemptedError,
} from '../../../infrastructure/resilience/resilience.errors.js';
import { ResilienceService } from '../../../infrastructure/resilience/resilience.service.js';
import type { FieldProblems } from '../../../shared/field-problems.js';
import {
  PermanentError,
  type TaskContext,
  TaskHandler,
  type TaskRunner,
  TransientError,
} from '../../tasks/tasks.contracts.js';
import { urlProblems } from '../domain/endpoint-url.js';
import { signingSecrets } from '../domain/webhook-endpoint.js';
import { WEBHOOKS_DELIVER, type DeliverWebhookInput } from '../webhooks.contracts.js';
import { TargetRefusedError } from '../domain/target-guard.js';
import {
  type ResolvedTarget,
  TargetUnresolvedError,
  WebhookClient,
  type WebhookResponse,
} from '../infrastructure/webhook-client.js';
import { WebhookEndpointRepository } from '../infrastructure/webhook-endpoint.repository.js';
import { signatureHeaders } from '../infrastructure/webhook-signer.js';

export const EVENT_TYPE_PATTERN = /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/i;

export class DeliverWebhookPayload implements DeliverWebhookInput {
  @ApiProperty({ format: 'uuid', description: 'One of your webhook endpoints (`POST /v1/webhooks/endpoints`)' })
  @IsUUID('all', { message: 'endpointId must be a UUID' })
  endpointId: string;

  @ApiProperty({ example: 'invoice.paid', maxLength: 100, description: 'Short dotted event name' })
  @IsString({ message: 'eventType must be a string' })
  @MaxLength(100, { message: 'eventType must be at most 100 characters' })
  @Matches(EVENT_TYPE_PATTERN, { message: 'eventType must be a dotted name such as invoice.paid' })
  eventType: string;

  @ApiProperty({
    description: 'Any JSON value, sent as `data` of the Standard Webhooks envelope',
    oneOf: [
      { type: 'object' },
      { type: 'array', items: {} },
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
    ],
    nullable: true,
    example: { invoiceId: 'inv_42', amount: 1200 },
  })
  @IsDefined({ message: 'payload must be present (any JSON value)' })
  @OpenJson()
  payload: unknown;
}

export interface DeliveryResult {
  deliveryId: string;
  status: number;
}

/** What the task's owner reads for each failure: fixed text, never an address, a port or a resolver's answer. */
const PUBLIC = {
  deleted: 'The webhook endpoint no longer exists',
  refused: 'The endpoint’s address is not one webhooks may be sent to',
  network: 'The endpoint could not be reached',
  timeout: 'The endpoint did not answer in time',
  open: 'Deliveries to this endpoint are paused after repeated failures; they resume after a cool-down',
  http: (status: number) => `The endpoint answered HTTP ${status}`,
};

/**
 * POSTs a Standard Webhooks envelope (`{type, timestamp, data}`) to one of the submitter's
 * registered endpoints, signed with that endpoint's secret(s), under the circuit breakers of
 * the endpoint and of the address it resolves to, and the outbound time limit. 2xx succeeds.
 * Network errors, timeouts, 5xx and 429 are transient: the task retries with backoff, no
 * sooner than a `Retry-After`. A delivery an open circuit refuses was not tried: the task
 * waits for the circuit's cool-down without spending an attempt. Any other answer (3xx, 4xx), a refused address or a deleted
 * endpoint fails the task at once. The task's error shows a stable code and a fixed message;
 * the detail (host, address, port, resolver error) is logged under the task id.
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
  // 8 attempts: at the default RETRY_* settings the retries span 61.5 s at least (123 s at
  // most), twice the circuit's default cool-down (30 s): a receiver down for less than a
  // minute loses no delivery even when every retry finds it down and none waits for a circuit.
  maxAttempts: 8,
  description: 'POSTs a signed event to one of your webhook endpoints, with retries and circuit breakers',
})
export class DeliverWebhookTask implements TaskRunner<DeliverWebhookPayload, DeliveryResult> {
  constructor(
    private readonly client: WebhookClient,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly resilience: ResilienceService,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
  ) {}

  /** Only the submitter's own endpoints: a user cannot have a delivery signed with another owner's secret. */
  async admit(payload: DeliverWebhookPayload, submitter: { ownerId: string | null }): Promise<FieldProblems[]> {
    if (await this.endpoints.exists(payload.endpointId, submitter.ownerId)) return [];
    return [{ field: 'payload.endpointId', messages: ['endpointId must be one of your webhook endpoints'] }];
  }

  async run(payload: DeliverWebhookPayload, context: TaskContext): Promise<DeliveryResult> {
    const endpoint = await this.endpoints.find(payload.endpointId, context.ownerId);
    if (!endpoint) throw new PermanentError(PUBLIC.deleted, 'WEBHOOKS.ENDPOINT_DELETED');
    const now = new Date();
    const deliveryId = `msg_${context.taskId}`;
    const body = JSON.stringify({ type: payload.eventType, timestamp: now.toISOString(), data: payload.payload });
    const headers = signatureHeaders(signingSecrets(endpoint, now), deliveryId, body, now);

    const target = await this.resolve(endpoint.url, endpoint.id, context);
    const circuits = [`webhook-endpoint:${endpoint.id}`, `webhook-address:${target.circuit}`];
    let outcome: WebhookResponse;
    try {
      outcome = await this.resilience.execute(circuits, (signal) => this.post(target, body, headers, signal, context), {
        signal: context.signal,
      });
    } catch (error) {
      if (error instanceof CircuitOpenError) {
        context.logger.warn(
          { endpointId: endpoint.id, circuit: error.key, retryInMs: error.retryAfterMs },
          'Delivery not tried: circuit open',
        );
        throw new NotAttemptedError(PUBLIC.open, error.code, error.retryAfterMs);
      }
      if (error instanceof CallTimeoutError) {
        context.logger.warn({ endpointId: endpoint.id, detail: error.message }, 'Delivery timed out');
        throw new TransientError(PUBLIC.timeout, error.code);
      }
      throw error;
    }
    if (outcome.status < 200 || outcome.status >= 300) {
      throw new PermanentError(`${PUBLIC.http(outcome.status)}; not retried`, `WEBHOOKS.HTTP_${outcome.status}`);
    }
    context.logger.log({ status: outcome.status, deliveryId, endpointId: endpoint.id }, 'Webhook delivered');
    return { deliveryId, status: outcome.status };
  }

  /** The URL's rules again (settings may have changed since registration), then DNS and the address checks. */
  private async resolve(raw: string, endpointId: string, context: TaskContext): Promise<ResolvedTarget> {
    const problems = urlProblems(raw, this.config);
    if (problems.length > 0) {
      context.logger.warn({ endpointId, problems }, 'Delivery refused: the endpoint URL breaks the rules');
      throw new PermanentError(PUBLIC.refused, 'WEBHOOKS.TARGET_REFUSED');
    }
    try {
      return await this.client.resolve(new URL(raw));
    } catch (error) {
      if (error instanceof TargetRefusedError) {
        context.logger.warn({ endpointId, detail: error.message }, 'Delivery refused: special-purpose address');
        throw new PermanentError(PUBLIC.refused, error.code);
      }
      if (error instanceof TargetUnresolvedError) {
        context.logger.warn({ endpointId, detail: error.message }, 'Delivery failed: DNS');
        throw new TransientError(PUBLIC.network, 'WEBHOOKS.NETWORK_ERROR');
      }
      throw error;
    }
  }

  /** Throws only for failures of the target (they count against its circuits); returns every other outcome. */
  private async post(
    target: ResolvedTarget,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal,
    context: TaskContext,
  ): Promise<WebhookResponse> {
    let response: WebhookResponse;
    try {
      response = await this.client.post(target, body, headers, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      context.logger.warn(
        { detail: (error as Error).message, code: (error as NodeJS.ErrnoException).code },
        'Delivery failed: network',
      );
      throw new TransientError(PUBLIC.network, 'WEBHOOKS.NETWORK_ERROR');
    }
    if (response.status >= 500 || response.status === 429) {
      throw new TransientError(
        PUBLIC.http(response.status),
        `WEBHOOKS.HTTP_${response.status}`,
        parseRetryAfter(response.retryAfter),
      );
    }
    return response;
  }
}
