import { Command } from '@nestjs/cqrs';
import { RequiresHandler } from '../../../../../infrastructure/wiring/messages.js';
import type { EndpointActor, WebhookEndpoint } from '../../../domain/webhook-endpoint.js';

/** Gives the endpoint a new secret (returned this once); the old one keeps signing for WEBHOOK_SECRET_GRACE_S. */
@RequiresHandler()
export class RotateWebhookEndpointSecretCommand extends Command<WebhookEndpoint> {
  constructor(
    readonly endpointId: string,
    readonly actor: EndpointActor,
  ) {
    super();
  }
}
