import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { WebhookEndpoint } from '../../../domain/webhook-endpoint.js';

/** Registers an endpoint for `ownerId`; the result carries its secret, which is shown this once. */
@RequiresHandler()
export class CreateWebhookEndpointCommand extends Command<WebhookEndpoint> {
  constructor(
    readonly ownerId: string,
    readonly url: string,
    readonly description: string,
  ) {
    super();
  }
}
