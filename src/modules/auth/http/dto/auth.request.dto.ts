import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { WellFormedText } from '../../../../infrastructure/http/text.js';
import { EmailField, NameField } from '../../../users/users.contracts.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../domain/password-policy.js';
import { OPAQUE_TOKEN_PATTERN } from '../../infrastructure/secret-tokens.js';

/**
 * A cheap bound before any per-character work: 4 UTF-16 units per character covers every
 * legal password; the exact rules (code points, bytes, common passwords) run in the handler.
 */
const PASSWORD_MAX_UNITS = PASSWORD_MAX_LENGTH * 4;

const Password = (property: string, description: string) =>
  applyDecorators(
    ApiProperty({
      example: 'correct horse battery staple',
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      format: 'password',
      description,
    }),
    IsString({ message: `${property} must be a string` }),
    Length(1, PASSWORD_MAX_UNITS, { message: `${property} must be 1 to ${PASSWORD_MAX_LENGTH} characters` }),
    WellFormedText(),
  );

const NEW_PASSWORD =
  `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, any characters; ` +
  'not one of the most common passwords, not your email';

const OpaqueToken = (description: string) =>
  applyDecorators(
    ApiProperty({ description, example: 'q5X0VqJ9Qm2o6F8rS3wZb1cD4eG7hK0lN2pR5tU8xYz' }),
    IsString({ message: 'token must be a string' }),
    Matches(OPAQUE_TOKEN_PATTERN, { message: 'token must be the 43-character code this API handed out' }),
  );

export class SignUpRequest {
  @EmailField({ required: true })
  email: string;

  @NameField({ required: true })
  name: string;

  @Password('password', NEW_PASSWORD)
  password: string;
}

export class LogInRequest {
  @EmailField({ required: true })
  email: string;

  @Password('password', 'The account password')
  password: string;
}

export class RefreshRequest {
  @ApiProperty({
    description: 'The refresh token of the last token pair',
    example: 'q5X0VqJ9Qm2o6F8rS3wZb1cD4eG7hK0lN2pR5tU8xYz',
  })
  @IsString({ message: 'refreshToken must be a string' })
  @Matches(OPAQUE_TOKEN_PATTERN, { message: 'refreshToken must be the 43-character token this API handed out' })
  refreshToken: string;
}

export class ChangePasswordRequest {
  @Password('currentPassword', 'The password in use now')
  currentPassword: string;

  @Password('newPassword', NEW_PASSWORD)
  newPassword: string;
}

export class PasswordResetRequest {
  @EmailField({ required: true })
  email: string;
}

export class PasswordResetConfirmRequest {
  @OpaqueToken('The code from the password-reset email')
  token: string;

  @Password('password', NEW_PASSWORD)
  password: string;
}

export class EmailVerificationConfirmRequest {
  @OpaqueToken('The code from the verification email')
  token: string;
}
