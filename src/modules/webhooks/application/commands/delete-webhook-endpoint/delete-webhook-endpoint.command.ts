import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { EndpointActor } from '../../../domain/webhook-endpoint.js';

/** Deletes the endpoint; deliveries queued for it then fail with WEBHOOKS.ENDPOINT_DELETED. */
@RequiresHandler()
export class DeleteWebhookEndpointCommand extends Command<void> {
  constructor(
    readonly endpointId: string,
    readonly actor: EndpointActor,
  ) {
    super();
  }
}
