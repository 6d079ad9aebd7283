import { ApiProperty } from '@nestjs/swagger';
import { PRINCIPAL_ROLES, type PrincipalRole } from '../../../../infrastructure/auth/principal.js';
import type { Account, TokenPair } from '../../application/account.js';
import type { SessionRecord } from '../../infrastructure/session.store.js';

export class TokenPairResponse {
  @ApiProperty({ description: 'JWT to send as `Authorization: Bearer <accessToken>`' })
  accessToken: string;

  @ApiProperty({ description: 'Opaque, single use: exchange it at POST /v1/auth/refresh for a new pair' })
  refreshToken: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn: number;

  static from(tokens: TokenPair): TokenPairResponse {
    return { ...tokens };
  }
}

export class AccountResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ enum: PRINCIPAL_ROLES })
  role: PrincipalRole;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null until the address is verified' })
  emailVerifiedAt: string | null;

  static from(account: Account): AccountResponse {
    return {
      id: account.id,
      email: account.email,
      name: account.name,
      role: account.role,
      emailVerifiedAt: account.emailVerifiedAt?.toISOString() ?? null,
    };
  }
}

export class SignUpResponse extends TokenPairResponse {
  @ApiProperty({ type: AccountResponse })
  user: AccountResponse;
}

export class MeResponse extends AccountResponse {
  @ApiProperty({ format: 'uuid', description: 'The session the access token belongs to' })
  sessionId: string;
}

export class SessionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'The session of the token that asked' })
  current: boolean;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Client address at login or last refresh' })
  ip: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  lastUsedAt: string;

  @ApiProperty({ format: 'date-time', description: 'When the refresh token stops working if unused' })
  expiresAt: string;

  static from(session: SessionRecord, currentSessionId: string): SessionResponse {
    return {
      id: session.id,
      current: session.id === currentSessionId,
      userAgent: session.userAgent,
      ip: session.ip,
      createdAt: session.createdAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
    };
  }
}

export class SessionListResponse {
  @ApiProperty({ type: [SessionResponse] })
  items: SessionResponse[];
}
