import type { INestApplication, Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  type OpenAPIObject,
  type OperationIdFactory,
  type OperationObject,
  type ResponseObject,
  type SecuritySchemeObject,
  getSchemaPath,
} from '@nestjs/swagger';
import { type AccessPolicy, accessPolicyOf, describeAccessPolicy } from '../auth/access-policy.js';
import { PROBLEM_CONTENT_TYPE, ProblemDetails } from './problem-details.js';

/** The name of the security scheme in the document. */
export const BEARER_AUTH = 'bearer';

export const BEARER_AUTH_SCHEME: SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: 'The `accessToken` answered by POST /v1/auth/login, /v1/auth/signup or /v1/auth/refresh.',
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Every operation of the document, with its path and method. */
export function* operationsOf(document: OpenAPIObject): Generator<[string, string, OperationObject]> {
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (operation) yield [path, method, operation];
    }
  }
}

/** A response documented as a problem document (`@ApiProblem` does the same for one handler). */
export const problemResponse = (description: string, extra: Partial<ResponseObject> = {}): ResponseObject => ({
  description,
  ...extra,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetails) } } },
});

const UNAUTHENTICATED = problemResponse(
  'AUTH.TOKEN_*: no bearer token, or one that is malformed, expired or of an ended session',
  {
    headers: {
      'WWW-Authenticate': {
        description: 'The RFC 6750 challenge, with `error="invalid_token"` once a token was presented',
        schema: { type: 'string' },
      },
    },
  },
);

const notYours = (resource: string) =>
  problemResponse(`Not found: no such ${resource}, or one that belongs to someone else`);

function accessSentence(policy: Exclude<AccessPolicy, { kind: 'public' }>): string {
  if (policy.kind === 'role') return `**Access:** role ${policy.roles.join(' or ')}.`;
  if (policy.kind === 'owner') return `**Access:** the ${policy.resource}'s owner, or an admin.`;
  return '**Access:** any signed-in user.';
}

const forbidden = (roles: string[]) =>
  problemResponse(`AUTH.FORBIDDEN: this route is for the role ${roles.join(' or ')}`);

/**
 * Marks each operation whose handler is not `@Public()` as needing the bearer token, reading
 * the policy with the authentication guard's own `accessPolicyOf`, so the document cannot
 * disagree with the guard. @nestjs/swagger names the handler of an operation only in the
 * operation id it asks `operationIdFactory` for: the ids are made here, in its default format
 * (clients generated from the document keep their names), and each remembers its handler.
 */
export class OperationSecurity {
  private readonly handlers = new Map<string, { controller: string; method: string }>();

  readonly operationIdFactory: OperationIdFactory = (controllerKey, methodKey, version) => {
    const id = [controllerKey, methodKey, version].filter(Boolean).join('_');
    // `name[1]` is a handler's second path.
    this.handlers.set(id, { controller: controllerKey, method: methodKey.replace(/\[\d+\]$/, '') });
    return id;
  };

  apply(app: INestApplication, document: OpenAPIObject): void {
    const policyOf = this.policies(app);
    for (const [path, method, operation] of operationsOf(document)) {
      const found = policyOf(operation.operationId);
      if (!found)
        throw new Error(
          `OpenAPI: cannot tell the handler of ${method.toUpperCase()} ${path}, so not its access policy ` +
            '(a custom operationId, or two controllers of one name?)',
        );
      const { policy } = found;
      if (!policy) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} declares no access policy`);
      (operation as OperationObject & { 'x-access-policy'?: string })['x-access-policy'] = describeAccessPolicy(policy);
      if (policy.kind === 'public') continue;
      operation.security = [{ [BEARER_AUTH]: [] }];
      operation.responses['401'] ??= UNAUTHENTICATED;
      operation.description = [accessSentence(policy), operation.description].filter(Boolean).join('\n\n');
      if (policy.kind === 'role') operation.responses['403'] ??= forbidden(policy.roles);
      if (policy.kind === 'owner') operation.responses['404'] ??= notYours(policy.resource);
    }
  }

  private policies(
    app: INestApplication,
  ): (operationId: string | undefined) => { policy: AccessPolicy | undefined } | undefined {
    const controllers = app
      .get(DiscoveryService)
      .getControllers()
      .flatMap((wrapper) => (wrapper.metatype ? [wrapper.metatype as Type] : []));
    return (operationId) => {
      const handler = operationId === undefined ? undefined : this.handlers.get(operationId);
      if (!handler) return undefined;
      // Two controllers of the same name would give one id to two operations: refuse to guess.
      const found = controllers.filter(
        (controller) =>
          controller.name === handler.controller &&
          typeof (controller.prototype as Record<string, unknown>)[handler.method] === 'function',
      );
      if (found.length !== 1) return undefined;
      const [controller] = found;
      return {
        policy: accessPolicyOf((controller.prototype as Record<string, object>)[handler.method], controller),
      };
    };
  }
}
