import { Query } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { EndpointActor, WebhookEndpoint } from '../../../domain/webhook-endpoint.js';

@RequiresHandler()
export class GetWebhookEndpointQuery extends Query<WebhookEndpoint> {
  constructor(
    readonly endpointId: string,
    readonly actor: EndpointActor,
  ) {
    super();
  }
}
