import { Module } from '@nestjs/common';
import { DeliverWebhookTask } from './application/deliver-webhook.task.js';
import { WebhookClient } from './infrastructure/webhook-client.js';
import { WebhookSigner } from './infrastructure/webhook-signer.js';

const taskTypes = [DeliverWebhookTask];
const adapters = [WebhookClient, WebhookSigner];

/**
 * Webhooks: signed HTTP deliveries to other systems, as the `webhooks.deliver` task type.
 * The tasks module finds the type by its `@TaskHandler` decorator; nothing here is imported
 * by the tasks module.
 */
@Module({
  providers: [...taskTypes, ...adapters],
})
export class WebhooksModule {}
