import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { NoControlCharacters, trim } from '../../../../infrastructure/http/text.js';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '../../domain/user.js';

export class RegisterUserRequest {
  @ApiProperty({ example: 'ada@example.com', maxLength: EMAIL_MAX_LENGTH, description: 'Unique, case-insensitively' })
  @Transform(trim)
  @IsString({ message: 'email must be a string' })
  @MaxLength(EMAIL_MAX_LENGTH, { message: `email must be at most ${EMAIL_MAX_LENGTH} characters` })
  @IsEmail({}, { message: 'email must be a valid email address' })
  email: string;

  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: NAME_MAX_LENGTH })
  @Transform(trim)
  @IsString({ message: 'name must be a string' })
  @Length(1, NAME_MAX_LENGTH, { message: `name must be 1 to ${NAME_MAX_LENGTH} characters after trimming` })
  @NoControlCharacters()
  name: string;
}
