import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { fieldProblemsOf } from '../../shared/field-problems.js';
import type { FieldProblem } from './problem-details.js';

/** A 400 that carries each invalid field and what is wrong with it. */
export class RequestValidationException extends BadRequestException {
  constructor(readonly errors: FieldProblem[]) {
    super(
      `Validation failed for ${errors.length} field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => e.field).join(', ')}`,
    );
  }
}

/** Global pipe: strip nothing silently (unknown properties are an error), transform to DTO classes. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new RequestValidationException(fieldProblemsOf(errors)),
  });
}
