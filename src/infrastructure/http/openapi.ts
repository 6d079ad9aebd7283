import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetails } from './problem-details.js';

export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/** Swagger UI at /docs and the OpenAPI document at /docs-json. */
export function setupOpenApi(app: INestApplication, info: { name: string; version: string }): void {
  const config = new DocumentBuilder()
    .setTitle(info.name)
    .setVersion(info.version)
    .setDescription(
      'Versioned HTTP API. Paths carry their version (`/v1/...`); on unversioned paths the ' +
        '`X-API-Version` header selects it (default 1). Every error is `application/problem+json` ' +
        '(RFC 9457) with `code` and `requestId`.',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetails] });
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: 'docs-yaml',
  });
}
