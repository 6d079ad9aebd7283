import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiParamOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { IsEmailAddress, NoControlCharacters, trim } from '../../../../infrastructure/http/text.js';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '../../domain/user.js';

/**
 * The rules of the user fields a client may send, shared by registration and update, and by
 * the identity module's sign-up and login (through users.contracts.ts). With
 * `required: false` an absent field is skipped, but `null` is still checked (and refused):
 * `@IsOptional` would let `null` through to the aggregate.
 */
export const EmailField = ({ required }: { required: boolean }) =>
  applyDecorators(
    ApiProperty({
      required,
      example: 'ada@example.com',
      maxLength: EMAIL_MAX_LENGTH,
      description: 'Unique, case-insensitively; stored trimmed and in lower case',
    }),
    ...(required ? [] : [ValidateIf((_object: object, value: unknown) => value !== undefined)]),
    Transform(trim),
    IsString({ message: 'email must be a string' }),
    MaxLength(EMAIL_MAX_LENGTH, { message: `email must be at most ${EMAIL_MAX_LENGTH} characters` }),
    IsEmailAddress('email must be a valid email address'),
  );

export const NameField = ({ required }: { required: boolean }) =>
  applyDecorators(
    ApiProperty({ required, example: 'Ada Lovelace', minLength: 1, maxLength: NAME_MAX_LENGTH }),
    ...(required ? [] : [ValidateIf((_object: object, value: unknown) => value !== undefined)]),
    Transform(trim),
    IsString({ message: 'name must be a string' }),
    Length(1, NAME_MAX_LENGTH, { message: `name must be 1 to ${NAME_MAX_LENGTH} characters after trimming` }),
    NoControlCharacters(),
  );

/** The `:id` path parameter, for `@ApiParam` (validated by `ParseIdPipe`). */
export const USER_ID: ApiParamOptions = { name: 'id', format: 'uuid', description: 'The user id' };
