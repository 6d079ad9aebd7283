import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { USER_ROLES, type UserRole } from '../../domain/user.js';

/** The one field of `PUT /v1/users/:id/role`: the only way a role changes over HTTP (admins only). */
export class ChangeRoleRequest {
  @ApiProperty({ enum: USER_ROLES, example: 'admin' })
  @IsIn(USER_ROLES, { message: `role must be one of ${USER_ROLES.join(', ')}` })
  role: UserRole;
}
