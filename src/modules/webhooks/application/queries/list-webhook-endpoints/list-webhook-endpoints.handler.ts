import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { decodeCursor, keysetPage } from '../../../../../shared/cursor.js';
import { WebhookEndpointRepository } from '../../../infrastructure/webhook-endpoint.repository.js';
import { ListWebhookEndpointsQuery, type WebhookEndpointPage } from './list-webhook-endpoints.query.js';

/** Keyset pagination on the id (UUID v7, so creation order); one extra row tells whether a next page exists. */
@QueryHandler(ListWebhookEndpointsQuery)
export class ListWebhookEndpointsHandler implements IQueryHandler<ListWebhookEndpointsQuery> {
  constructor(private readonly endpoints: WebhookEndpointRepository) {}

  async execute(query: ListWebhookEndpointsQuery): Promise<WebhookEndpointPage> {
    const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.endpoints.list(query.ownerId, query.limit + 1, beforeId);
    const { items, nextCursor } = keysetPage(rows, query.limit);
    return { endpoints: items, ...(nextCursor && { nextCursor }) };
  }
}
