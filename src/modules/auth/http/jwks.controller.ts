import { Controller, Get, Header, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { JWK } from 'jose';
import { Public } from '../../../infrastructure/auth/access-policy.js';
import { SigningKeys } from '../infrastructure/signing-keys.js';

/** The public keys of the access tokens (RFC 7517), for any service that verifies them. */
@ApiTags('auth')
@Public()
@SkipThrottle()
@Controller({ path: '.well-known', version: VERSION_NEUTRAL })
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOkResponse({ description: 'JSON Web Key Set: the signing key and any previous keys still accepted' })
  jwks(): { keys: JWK[] } {
    return this.keys.jwks;
  }
}
