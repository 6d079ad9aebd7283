import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, Length } from 'class-validator';
import { ListUsersQuery } from '../../application/queries/list-users/list-users.query.js';
import { PageRequest } from '../../../../infrastructure/http/pagination.js';
import { NoControlCharacters, trim } from '../../../../infrastructure/http/text.js';

export class ListUsersRequest extends PageRequest {
  @ApiPropertyOptional({ example: 'ada@example.com', description: 'Exact email, any case' })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email?: string;

  @ApiPropertyOptional({ example: 'ada', description: 'Case-insensitive text in the name or the email' })
  @IsOptional()
  @Transform(trim)
  @Length(1, 100, { message: 'q must be 1 to 100 characters' })
  @NoControlCharacters()
  q?: string;

  toQuery(): ListUsersQuery {
    return new ListUsersQuery(this.limit, this.cursor, this.email, this.q);
  }
}
