import { Injectable, type PipeTransform } from '@nestjs/common';
import { RequestValidationException } from '../../../infrastructure/http/validation.js';
import { TaskTypeRegistry } from '../application/task-type.registry.js';
import type { SubmitTaskRequest } from './dto/submit-task.request.dto.js';

/**
 * Checks the payload against its type's DTO, so a bad submission is a 400 naming each field
 * (`type` with the known types, `payload.url`...) like every other validation error. Runs
 * after the global ValidationPipe has checked the envelope.
 */
@Injectable()
export class TaskPayloadPipe implements PipeTransform<SubmitTaskRequest, Promise<SubmitTaskRequest>> {
  constructor(private readonly types: TaskTypeRegistry) {}

  async transform(body: SubmitTaskRequest): Promise<SubmitTaskRequest> {
    const parsed = await this.types.parse(body.type, body.payload);
    if ('problems' in parsed) throw new RequestValidationException(parsed.problems);
    return body;
  }
}
