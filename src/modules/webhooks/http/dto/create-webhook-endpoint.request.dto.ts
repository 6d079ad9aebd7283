import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { NoControlCharacters, WellFormedText, trim } from '../../../../infrastructure/http/text.js';
import { URL_MAX_LENGTH } from '../../domain/endpoint-url.js';

export const DESCRIPTION_MAX_LENGTH = 500;

export class CreateWebhookEndpointRequest {
  @ApiProperty({
    example: 'https://example.com/hooks/orders',
    maxLength: URL_MAX_LENGTH,
    description:
      'Where deliveries are POSTed. https only when WEBHOOK_REQUIRE_HTTPS (the production default); no credentials; ' +
      'no loopback, private, link-local or other special-purpose address (checked again at every delivery, after DNS)',
  })
  @Transform(trim)
  @IsString({ message: 'url must be a string' })
  @MaxLength(URL_MAX_LENGTH, { message: `url must be at most ${URL_MAX_LENGTH} characters` })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http or https URL' },
  )
  url: string;

  @ApiPropertyOptional({ example: 'Order events for the warehouse', maxLength: DESCRIPTION_MAX_LENGTH, default: '' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'description must be a string' })
  @MaxLength(DESCRIPTION_MAX_LENGTH, { message: `description must be at most ${DESCRIPTION_MAX_LENGTH} characters` })
  @NoControlCharacters()
  @WellFormedText()
  description?: string;
}
