import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { isId } from '../../shared/ids.js';
import { RequestValidationException } from './validation.js';

/**
 * `@Param('id', ParseIdPipe)`: a malformed id is a 400 naming the parameter, in the same
 * shape as every other validation error. A pipe rather than a params DTO because the id is
 * on every read path, and this costs a regex where a DTO costs class-transformer and
 * class-validator (about 40 µs a request, bench users-get).
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (isId(value)) return value;
    const field = metadata.data ?? 'id';
    throw new RequestValidationException([{ field, messages: [`${field} must be a UUID`] }]);
  }
}
