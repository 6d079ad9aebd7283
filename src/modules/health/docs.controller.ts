import { Controller, Get, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import { RequireRole } from '../../infrastructure/auth/access-policy.js';
import { OpenApiDocumentHolder } from '../../infrastructure/http/openapi.js';

/**
 * The OpenAPI document for admins only, registered when `DOCS_ACCESS=admin` (with `public`,
 * Swagger's own routes serve it to anyone). Behind the authentication guard like every route:
 * no token 401, a user's token 403, both as problem documents. `/docs` answers the document too,
 * since there is no Swagger UI in this mode (a browser cannot send the bearer token).
 */
@ApiExcludeController()
@RequireRole('admin')
@Controller({ version: VERSION_NEUTRAL })
export class DocsController {
  constructor(private readonly holder: OpenApiDocumentHolder) {}

  @Get('docs')
  docs(): OpenAPIObject {
    return this.document();
  }

  @Get('docs-json')
  json(): OpenAPIObject {
    return this.document();
  }

  private document(): OpenAPIObject {
    if (!this.holder.document) throw new ServiceUnavailableException('The OpenAPI document is not built yet');
    return this.holder.document;
  }
}
