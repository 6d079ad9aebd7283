import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '../../shared/clock.js';
import { CreateWebhookEndpointHandler } from './application/commands/create-webhook-endpoint/create-webhook-endpoint.handler.js';
import { DeleteWebhookEndpointHandler } from './application/commands/delete-webhook-endpoint/delete-webhook-endpoint.handler.js';
import { RotateWebhookEndpointSecretHandler } from './application/commands/rotate-webhook-endpoint-secret/rotate-webhook-endpoint-secret.handler.js';
import { DeliverWebhookTask } from './application/deliver-webhook.task.js';
import { GetWebhookEndpointHandler } from './application/queries/get-webhook-endpoint/get-webhook-endpoint.handler.js';
import { ListWebhookEndpointsHandler } from './application/queries/list-webhook-endpoints/list-webhook-endpoints.handler.js';
import { WebhookEndpointsController } from './http/webhook-endpoints.controller.js';
import { SecretBox } from './infrastructure/secret-box.js';
import { WebhookClient } from './infrastructure/webhook-client.js';
import { WebhookEndpointRepository } from './infrastructure/webhook-endpoint.repository.js';

const commandHandlers = [
  CreateWebhookEndpointHandler,
  RotateWebhookEndpointSecretHandler,
  DeleteWebhookEndpointHandler,
];
const queryHandlers = [GetWebhookEndpointHandler, ListWebhookEndpointsHandler];
const taskTypes = [DeliverWebhookTask];
const adapters = [WebhookClient, WebhookEndpointRepository, SecretBox, { provide: Clock, useClass: SystemClock }];

/**
 * Webhooks: users register endpoints (each with its own signing secret, encrypted at rest),
 * and the `webhooks.deliver` task type posts signed events to them. The tasks module finds
 * the type by its `@TaskHandler` decorator; nothing here is imported by the tasks module.
 */
@Module({
  controllers: [WebhookEndpointsController],
  providers: [...commandHandlers, ...queryHandlers, ...taskTypes, ...adapters],
})
export class WebhooksModule {}
