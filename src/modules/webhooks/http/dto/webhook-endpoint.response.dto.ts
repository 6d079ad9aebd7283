import { ApiProperty } from '@nestjs/swagger';
import type { WebhookEndpoint } from '../../domain/webhook-endpoint.js';

/** An endpoint as every read shows it: never its secret. */
export class WebhookEndpointResponse {
  @ApiProperty({ format: 'uuid', example: '01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0' })
  id: string;

  @ApiProperty({ format: 'uuid', description: 'The user the endpoint belongs to' })
  ownerId: string;

  @ApiProperty({ example: 'https://example.com/hooks/orders' })
  url: string;

  @ApiProperty({ example: 'Order events for the warehouse' })
  description: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until when the secret before the last rotation still signs deliveries (next to the new one)',
  })
  previousSecretExpiresAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  static from(endpoint: WebhookEndpoint): WebhookEndpointResponse {
    return {
      id: endpoint.id,
      ownerId: endpoint.ownerId,
      url: endpoint.url,
      description: endpoint.description,
      previousSecretExpiresAt: endpoint.previousSecretExpiresAt?.toISOString() ?? null,
      createdAt: endpoint.createdAt.toISOString(),
      updatedAt: endpoint.updatedAt.toISOString(),
    };
  }
}

/** The answer of creation and rotation: the only times the secret is shown. */
export class WebhookEndpointWithSecretResponse extends WebhookEndpointResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'Standard Webhooks signing secret (`whsec_` + base64 of 32 random bytes). Shown only in this answer: store it now',
  })
  secret: string;

  static withSecret(endpoint: WebhookEndpoint): WebhookEndpointWithSecretResponse {
    return { ...WebhookEndpointResponse.from(endpoint), secret: endpoint.secret };
  }
}

export class WebhookEndpointPageResponse {
  @ApiProperty({ type: [WebhookEndpointResponse] })
  items: WebhookEndpointResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page',
  })
  nextCursor: string | null;
}
