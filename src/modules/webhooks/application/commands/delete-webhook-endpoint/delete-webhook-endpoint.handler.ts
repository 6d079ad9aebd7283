import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ownerFilter } from '../../../domain/webhook-endpoint.js';
import { WebhookEndpointNotFoundError } from '../../../domain/webhook-endpoint.errors.js';
import { WebhookEndpointRepository } from '../../../infrastructure/webhook-endpoint.repository.js';
import { DeleteWebhookEndpointCommand } from './delete-webhook-endpoint.command.js';

@CommandHandler(DeleteWebhookEndpointCommand)
export class DeleteWebhookEndpointHandler implements ICommandHandler<DeleteWebhookEndpointCommand> {
  constructor(private readonly endpoints: WebhookEndpointRepository) {}

  async execute(command: DeleteWebhookEndpointCommand): Promise<void> {
    const deleted = await this.endpoints.delete(command.endpointId, ownerFilter(command.actor));
    if (!deleted) throw new WebhookEndpointNotFoundError(command.endpointId);
  }
}
