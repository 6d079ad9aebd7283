import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  type ApiParamOptions,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OwnerOrAdmin } from '../../../infrastructure/auth/access-policy.js';
import { CurrentPrincipal, type Principal } from '../../../infrastructure/auth/principal.js';
import { ApiProblem } from '../../../infrastructure/http/api-problem.decorator.js';
import { ParseIdPipe } from '../../../infrastructure/http/parse-id.pipe.js';
import { CreateWebhookEndpointCommand } from '../application/commands/create-webhook-endpoint/create-webhook-endpoint.command.js';
import { DeleteWebhookEndpointCommand } from '../application/commands/delete-webhook-endpoint/delete-webhook-endpoint.command.js';
import { RotateWebhookEndpointSecretCommand } from '../application/commands/rotate-webhook-endpoint-secret/rotate-webhook-endpoint-secret.command.js';
import { GetWebhookEndpointQuery } from '../application/queries/get-webhook-endpoint/get-webhook-endpoint.query.js';
import type { EndpointActor } from '../domain/webhook-endpoint.js';
import { CreateWebhookEndpointRequest } from './dto/create-webhook-endpoint.request.dto.js';
import { ListWebhookEndpointsRequest } from './dto/list-webhook-endpoints.request.dto.js';
import {
  WebhookEndpointPageResponse,
  WebhookEndpointResponse,
  WebhookEndpointWithSecretResponse,
} from './dto/webhook-endpoint.response.dto.js';

const ENDPOINT_ID: ApiParamOptions = { name: 'id', format: 'uuid', description: 'The webhook endpoint id' };
const NOT_FOUND = 'WEBHOOKS.ENDPOINT_NOT_FOUND (also for another user’s endpoint, unless the caller is an admin)';

const actorOf = (principal: Principal): EndpointActor => ({ userId: principal.userId, role: principal.role });

/**
 * Webhook endpoints, version 1: where a user's `webhooks.deliver` tasks may post, each with its
 * own signing secret. A user manages their own endpoints; admins reach every one by id.
 */
@ApiTags('webhooks')
@OwnerOrAdmin('webhook endpoint')
@Controller({ path: 'webhooks/endpoints', version: '1' })
export class WebhookEndpointsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiCreatedResponse({
    type: WebhookEndpointWithSecretResponse,
    description: 'Registered; `secret` is shown this once',
    headers: { Location: { description: 'URL of the endpoint', schema: { type: 'string' } } },
  })
  @ApiProblem(400, 'Invalid body; `errors` names each field')
  @ApiProblem(409, 'WEBHOOKS.ENDPOINT_LIMIT: the account has WEBHOOK_MAX_ENDPOINTS_PER_OWNER endpoints already')
  @ApiProblem(422, 'WEBHOOKS.URL_REFUSED: https required, credentials in the URL, or a reserved address')
  async create(
    @Body() body: CreateWebhookEndpointRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookEndpointWithSecretResponse> {
    const endpoint = await this.commands.execute(
      new CreateWebhookEndpointCommand(principal.userId, body.url, body.description ?? ''),
    );
    void reply.header('location', `/v1/webhooks/endpoints/${endpoint.id}`).header('cache-control', 'no-store');
    return WebhookEndpointWithSecretResponse.withSecret(endpoint);
  }

  @Get()
  @ApiOkResponse({ type: WebhookEndpointPageResponse, description: 'The caller’s own endpoints, newest first' })
  @ApiProblem(400, 'Invalid query parameter')
  async list(
    @Query() query: ListWebhookEndpointsRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookEndpointPageResponse> {
    const page = await this.queries.execute(query.toQuery(principal.userId));
    return { items: page.endpoints.map(WebhookEndpointResponse.from), nextCursor: page.nextCursor ?? null };
  }

  @Get(':id')
  @ApiParam(ENDPOINT_ID)
  @ApiOkResponse({ type: WebhookEndpointResponse })
  @ApiProblem(400, 'The id is not a UUID')
  @ApiProblem(404, NOT_FOUND)
  async get(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookEndpointResponse> {
    return WebhookEndpointResponse.from(
      await this.queries.execute(new GetWebhookEndpointQuery(id, actorOf(principal))),
    );
  }

  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiParam(ENDPOINT_ID)
  @ApiOkResponse({
    type: WebhookEndpointWithSecretResponse,
    description: 'The new `secret`, shown this once; the old one keeps signing until `previousSecretExpiresAt`',
  })
  @ApiProblem(404, NOT_FOUND)
  async rotate(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookEndpointWithSecretResponse> {
    const endpoint = await this.commands.execute(new RotateWebhookEndpointSecretCommand(id, actorOf(principal)));
    void reply.header('cache-control', 'no-store');
    return WebhookEndpointWithSecretResponse.withSecret(endpoint);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam(ENDPOINT_ID)
  @ApiNoContentResponse({ description: 'Deleted; deliveries still queued for it fail with WEBHOOKS.ENDPOINT_DELETED' })
  @ApiProblem(404, NOT_FOUND)
  async remove(@Param('id', ParseIdPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.commands.execute(new DeleteWebhookEndpointCommand(id, actorOf(principal)));
  }
}
