import { type INestApplication, Injectable, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  BEARER_AUTH,
  BEARER_AUTH_SCHEME,
  OperationSecurity,
  operationsOf,
  problemResponse,
} from './openapi-security.js';
import { exposureConfig } from '../config/exposure.config.js';
import { ProblemDetails } from './problem-details.js';

export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/**
 * A provider that adds to the OpenAPI document what decorators cannot say, for example
 * schemas that depend on what was discovered at startup (the task types). Any provider
 * extending this class is found and applied.
 */
export abstract class OpenApiContributor {
  /** Classes whose schemas must be in the document although no route names them. */
  extraModels(): Type[] {
    return [];
  }

  abstract contribute(document: OpenAPIObject): void;
}

/**
 * The OpenAPI document of the running app, once `setupOpenApi` has built it: how the admin-only
 * docs route (`DOCS_ACCESS=admin`, served by a controller behind the authentication guard) gets it.
 */
@Injectable()
export class OpenApiDocumentHolder {
  document: OpenAPIObject | undefined;
}

/**
 * The OpenAPI document. With `DOCS_ACCESS=public`: Swagger UI at /docs, the document at
 * /docs-json and /docs-yaml, for anyone. With `admin`, Fastify serves none of them: the
 * document goes to {@link OpenApiDocumentHolder}, and `GET /docs` and `GET /docs-json` answer it
 * to admins only, like any other admin route (a browser cannot send the bearer token a page
 * load needs, so there is no Swagger UI then: fetch the document with the token).
 */
export function setupOpenApi(app: INestApplication, info: { name: string; version: string }): void {
  const config = new DocumentBuilder()
    .setTitle(info.name)
    .setVersion(info.version)
    .setDescription(
      'Versioned HTTP API. Paths carry their version (`/v1/...`); on unversioned paths the ' +
        '`X-API-Version` header selects it (default 1). Every error is `application/problem+json` ' +
        '(RFC 9457) with `code` and `requestId`. Operations marked with the lock need ' +
        '`Authorization: Bearer <accessToken>`, from POST /v1/auth/login.',
    )
    .addBearerAuth(BEARER_AUTH_SCHEME, BEARER_AUTH)
    .build();
  const contributors = app
    .get(DiscoveryService)
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is OpenApiContributor => instance instanceof OpenApiContributor);
  const extraModels = [ProblemDetails, ...contributors.flatMap((contributor) => contributor.extraModels())];
  const security = new OperationSecurity();
  const document = withProblemResponses(
    SwaggerModule.createDocument(app, config, { extraModels, operationIdFactory: security.operationIdFactory }),
  );
  security.apply(app, document);
  for (const contributor of contributors) contributor.contribute(document);
  if (exposureConfig().docs === 'admin') {
    app.get(OpenApiDocumentHolder, { strict: false }).document = document;
    return;
  }
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: 'docs-yaml',
    // The token stays in the page's memory: persisted, it would sit in localStorage, readable by
    // any script of this origin and left for the next person at the machine, for the sake of
    // a token that expires within minutes (AUTH_ACCESS_TOKEN_TTL_S) anyway.
    swaggerOptions: { persistAuthorization: false },
  });
}

/**
 * Every operation can fail with a problem document (validation, 404, 429, 500...): say so once
 * here as each operation's `default` response, instead of repeating it on every handler.
 * Responses a controller documents itself (for example a 503 with details) are kept.
 */
function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  const problem = problemResponse('Error, as RFC 9457 problem details');
  for (const [, , operation] of operationsOf(document)) {
    operation.responses = { ...operation.responses, default: operation.responses.default ?? problem };
  }
  return document;
}
