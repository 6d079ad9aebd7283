import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { OpenJson } from '../../../../infrastructure/http/json-open-value.js';
import { MAX_SUBMITTED_ATTEMPTS } from '../../application/task-type.registry.js';

export const MAX_DELAY_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_ATTEMPTS = MAX_SUBMITTED_ATTEMPTS;

/**
 * The envelope of a submission. The payload's own schema depends on `type` and is checked by
 * the type's DTO in `SubmitTaskHandler`, which knows the submitter; OpenAPI lists one schema
 * per type.
 */
export class SubmitTaskRequest {
  @ApiProperty({ example: 'tasks.echo', description: 'One of the task types (GET /docs lists them)' })
  @IsString()
  @Length(1, 100)
  type: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Input of the task, as its type defines' })
  @IsObject({ message: 'payload must be an object' })
  @OpenJson()
  payload: Record<string, unknown>;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_DELAY_MS,
    description: 'Start no earlier than this many ms from now',
  })
  @IsOptional()
  @IsInt({ message: 'delayMs must be a whole number' })
  @Min(0, { message: 'delayMs must not be negative' })
  @Max(MAX_DELAY_MS, { message: `delayMs must not be greater than ${MAX_DELAY_MS} (7 days)` })
  delayMs?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_ATTEMPTS,
    description:
      'Attempts before the task fails (default: its type’s, else TASK_MAX_ATTEMPTS); at most the type’s own maxAttempts when it declares one',
  })
  @IsOptional()
  @IsInt({ message: 'maxAttempts must be a whole number' })
  @Min(1, { message: 'maxAttempts must be at least 1' })
  @Max(MAX_ATTEMPTS, { message: `maxAttempts must not be greater than ${MAX_ATTEMPTS}` })
  maxAttempts?: number;
}
