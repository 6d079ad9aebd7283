import { Injectable, type Type } from '@nestjs/common';
import { type OpenAPIObject, getSchemaPath } from '@nestjs/swagger';
import { OpenApiContributor } from '../../../infrastructure/http/openapi.js';
import { type TaskType, TaskTypeRegistry } from '../application/task-type.registry.js';
import { SubmitTaskRequest } from './dto/submit-task.request.dto.js';

const WHO = { users: 'any signed-in user', admins: 'admins only' } as const;

/** "Returns its message after durationMs. Submitted by: any signed-in user; verified email required." */
function describeType(type: TaskType & { submitters: 'users' | 'admins' }): string {
  const who = `Submitted by: ${WHO[type.submitters]}${type.outbound ? '; sends requests out, so the account’s email must be verified' : ''}.`;
  const ceiling = `maxAttempts: at most ${type.attemptsCeiling}.`;
  return [type.description && `${type.description}.`, who, ceiling].filter(Boolean).join(' ');
}

const submittable = (type: TaskType): type is TaskType & { submitters: 'users' | 'admins' } =>
  type.submitters !== 'internal';

/**
 * Documents `POST /v1/tasks` as one request schema per task type that can be submitted
 * through the API, chosen by `type` (`oneOf` with a discriminator), each with that type's
 * payload schema, who may submit it (`x-submitters`, and in words in its description) and
 * whether it needs a verified email (`x-outbound`). The application's own types (emails)
 * are left out: no caller may submit them. The types are discovered at startup, so this is
 * added to the document then rather than by decorators.
 */
@Injectable()
export class TasksOpenApi extends OpenApiContributor {
  constructor(private readonly types: TaskTypeRegistry) {
    super();
  }

  override extraModels(): Type[] {
    return [
      SubmitTaskRequest,
      ...this.types
        .all()
        .filter(submittable)
        .map((type) => type.payload),
    ];
  }

  contribute(document: OpenAPIObject): void {
    const schemas = (document.components ??= {}).schemas ?? {};
    const mapping: Record<string, string> = {};
    for (const type of this.types.all().filter(submittable)) {
      const name = `SubmitTask_${type.type.replace(/[^A-Za-z0-9]/g, '_')}`;
      const extensions = { 'x-submitters': type.submitters, 'x-outbound': type.outbound ?? false };
      schemas[name] = {
        ...(extensions as object),
        description: describeType(type),
        allOf: [
          { $ref: getSchemaPath(SubmitTaskRequest) },
          {
            type: 'object',
            properties: { type: { type: 'string', enum: [type.type] }, payload: { $ref: getSchemaPath(type.payload) } },
          },
        ],
      };
      mapping[type.type] = `#/components/schemas/${name}`;
    }
    const operation = document.paths['/v1/tasks']?.post;
    if (!operation) return;
    operation.requestBody = {
      required: true,
      content: {
        'application/json': {
          schema: {
            oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
            discriminator: { propertyName: 'type', mapping },
          },
        },
      },
    };
  }
}
