import { PageRequest } from '../../../../infrastructure/http/pagination.js';
import { ListWebhookEndpointsQuery } from '../../application/queries/list-webhook-endpoints/list-webhook-endpoints.query.js';

export class ListWebhookEndpointsRequest extends PageRequest {
  toQuery(ownerId: string): ListWebhookEndpointsQuery {
    return new ListWebhookEndpointsQuery(ownerId, this.limit, this.cursor);
  }
}
