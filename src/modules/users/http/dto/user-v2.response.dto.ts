import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_ROLES, type User, type UserRole } from '../../domain/user.js';

export class Link {
  @ApiProperty({ example: '/v2/users/01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0' })
  href: string;
}

export class UserLinks {
  @ApiProperty({ type: Link })
  self: Link;
}

/**
 * Version 2 representation: `name` became `displayName`, and whether the email is verified,
 * timestamps, the version (also the ETag) and hypermedia links were added. Renaming a field is the breaking change that
 * needs a new version; v1 keeps answering as before.
 */
export class UserV2Response {
  @ApiProperty({ format: 'uuid', example: '01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0' })
  id: string;

  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  displayName: string;

  @ApiProperty({ enum: USER_ROLES, example: 'user' })
  role: UserRole;

  @ApiProperty({ description: 'Whether the current email was proven to reach the user; false again after a change' })
  emailVerified: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ example: 1, description: 'Grows with every change; the ETag carries the same number' })
  version: number;

  @ApiProperty({ type: UserLinks })
  _links: UserLinks;

  static from(user: User): UserV2Response {
    return {
      id: user.id,
      email: user.email,
      displayName: user.name,
      role: user.role,
      emailVerified: user.emailVerifiedAt !== null,
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
      version: user.version,
      _links: {
        self: { href: `/v2/users/${user.id}` },
      },
    };
  }
}

export class PageLinks {
  @ApiProperty({ type: Link })
  self: Link;

  @ApiPropertyOptional({ type: Link, description: 'Absent on the last page' })
  next?: Link;
}

export class UserPageV2Response {
  @ApiProperty({ type: [UserV2Response] })
  items: UserV2Response[];

  @ApiProperty({ type: PageLinks })
  _links: PageLinks;
}
