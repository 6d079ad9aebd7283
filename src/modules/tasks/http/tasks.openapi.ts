import { Injectable, type Type } from '@nestjs/common';
import { type OpenAPIObject, getSchemaPath } from '@nestjs/swagger';
import { OpenApiContributor } from '../../../infrastructure/http/openapi.js';
import { TaskTypeRegistry } from '../application/task-type.registry.js';
import { SubmitTaskRequest } from './dto/submit-task.request.dto.js';

/**
 * Documents `POST /v1/tasks` as one request schema per task type, chosen by `type`
 * (`oneOf` with a discriminator), each with that type's payload schema. The types are
 * discovered at startup, so this is added to the document then rather than by decorators.
 */
@Injectable()
export class TasksOpenApi extends OpenApiContributor {
  constructor(private readonly types: TaskTypeRegistry) {
    super();
  }

  override extraModels(): Type[] {
    return [SubmitTaskRequest, ...this.types.all().map((type) => type.payload)];
  }

  contribute(document: OpenAPIObject): void {
    const schemas = (document.components ??= {}).schemas ?? {};
    const mapping: Record<string, string> = {};
    for (const type of this.types.all()) {
      const name = `SubmitTask_${type.type.replace(/[^A-Za-z0-9]/g, '_')}`;
      schemas[name] = {
        description: type.description,
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
