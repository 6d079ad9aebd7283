import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type WebhooksConfig, webhooksConfig } from '../../../../../infrastructure/config/webhooks.config.js';
import { Clock } from '../../../../../shared/clock.js';
import { newId } from '../../../../../shared/ids.js';
import { urlProblems } from '../../../domain/endpoint-url.js';
import { type WebhookEndpoint, newWebhookSecret } from '../../../domain/webhook-endpoint.js';
import { WebhookEndpointLimitError, WebhookUrlRefusedError } from '../../../domain/webhook-endpoint.errors.js';
import { WebhookEndpointRepository } from '../../../infrastructure/webhook-endpoint.repository.js';
import { CreateWebhookEndpointCommand } from './create-webhook-endpoint.command.js';

@CommandHandler(CreateWebhookEndpointCommand)
export class CreateWebhookEndpointHandler implements ICommandHandler<CreateWebhookEndpointCommand> {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly clock: Clock,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
  ) {}

  async execute(command: CreateWebhookEndpointCommand): Promise<WebhookEndpoint> {
    const problems = urlProblems(command.url, this.config);
    if (problems.length > 0) throw new WebhookUrlRefusedError(problems);
    const now = this.clock.now();
    const endpoint: WebhookEndpoint = {
      id: newId(),
      ownerId: command.ownerId,
      url: command.url,
      description: command.description,
      secret: newWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const stored = await this.endpoints.insertWithin(endpoint, this.config.maxEndpointsPerOwner);
    if (!stored) throw new WebhookEndpointLimitError(this.config.maxEndpointsPerOwner);
    return endpoint;
  }
}
