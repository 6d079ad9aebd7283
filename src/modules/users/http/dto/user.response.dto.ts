import { ApiProperty } from '@nestjs/swagger';
import { USER_ROLES, type User, type UserRole } from '../../domain/user.js';

/** Version 1 representation of a user. Frozen: v1 clients depend on it byte for byte. */
export class UserResponse {
  @ApiProperty({ format: 'uuid', example: '01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0' })
  id: string;

  @ApiProperty({ example: 'ada@example.com', description: 'Normalised to lower case' })
  email: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ enum: USER_ROLES, example: 'user' })
  role: UserRole;

  static from(user: User): UserResponse {
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  }
}

export class UserPageResponse {
  @ApiProperty({ type: [UserResponse] })
  items: UserResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page',
  })
  nextCursor: string | null;
}
