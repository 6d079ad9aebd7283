import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Observable, catchError, throwError } from 'rxjs';
import { RequestValidationException } from '../../../infrastructure/http/validation.js';
import { InvalidTaskError } from '../domain/task.errors.js';

/**
 * A submission the tasks module refuses field by field (unknown type, payload, attempts,
 * a type's own `admit`) is a 400 naming each field, like every other validation error of
 * the API. The check lives in the command handler, which knows the submitter; this only
 * changes how the refusal is told over HTTP.
 */
@Injectable()
export class TaskProblemsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() =>
            error instanceof InvalidTaskError ? new RequestValidationException(error.problems) : error,
          ),
        ),
      );
  }
}
