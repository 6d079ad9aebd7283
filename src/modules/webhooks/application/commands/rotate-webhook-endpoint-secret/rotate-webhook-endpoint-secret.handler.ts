import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type WebhooksConfig, webhooksConfig } from '../../../../../infrastructure/config/webhooks.config.js';
import { Clock } from '../../../../../shared/clock.js';
import { type WebhookEndpoint, newWebhookSecret, ownerFilter } from '../../../domain/webhook-endpoint.js';
import { WebhookEndpointNotFoundError } from '../../../domain/webhook-endpoint.errors.js';
import { WebhookEndpointRepository } from '../../../infrastructure/webhook-endpoint.repository.js';
import { RotateWebhookEndpointSecretCommand } from './rotate-webhook-endpoint-secret.command.js';

/**
 * One previous secret is kept: rotating again within the grace period drops the oldest, which
 * is what an operator rotating twice (a leaked secret) wants.
 */
@CommandHandler(RotateWebhookEndpointSecretCommand)
export class RotateWebhookEndpointSecretHandler implements ICommandHandler<RotateWebhookEndpointSecretCommand> {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly clock: Clock,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
  ) {}

  async execute(command: RotateWebhookEndpointSecretCommand): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.find(command.endpointId, ownerFilter(command.actor));
    if (!endpoint) throw new WebhookEndpointNotFoundError(command.endpointId);
    const now = this.clock.now();
    const rotated: WebhookEndpoint = {
      ...endpoint,
      secret: newWebhookSecret(),
      previousSecret: endpoint.secret,
      previousSecretExpiresAt: new Date(now.getTime() + this.config.secretGraceMs),
      updatedAt: now,
    };
    await this.endpoints.saveSecrets(rotated);
    return rotated;
  }
}
