import { Query } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { WebhookEndpoint } from '../../../domain/webhook-endpoint.js';

export interface WebhookEndpointPage {
  endpoints: WebhookEndpoint[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** The caller's own endpoints, newest first. */
@RequiresHandler()
export class ListWebhookEndpointsQuery extends Query<WebhookEndpointPage> {
  constructor(
    readonly ownerId: string,
    readonly limit: number,
    /** A cursor from a previous page (already validated by the request DTO). */
    readonly cursor?: string,
  ) {
    super();
  }
}
