import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type WebhookEndpoint, ownerFilter } from '../../../domain/webhook-endpoint.js';
import { WebhookEndpointNotFoundError } from '../../../domain/webhook-endpoint.errors.js';
import { WebhookEndpointRepository } from '../../../infrastructure/webhook-endpoint.repository.js';
import { GetWebhookEndpointQuery } from './get-webhook-endpoint.query.js';

@QueryHandler(GetWebhookEndpointQuery)
export class GetWebhookEndpointHandler implements IQueryHandler<GetWebhookEndpointQuery> {
  constructor(private readonly endpoints: WebhookEndpointRepository) {}

  async execute(query: GetWebhookEndpointQuery): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.find(query.endpointId, ownerFilter(query.actor));
    if (!endpoint) throw new WebhookEndpointNotFoundError(query.endpointId);
    return endpoint;
  }
}
