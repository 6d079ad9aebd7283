import type { PrincipalRole } from '../../../infrastructure/auth/principal.js';

/** What this module needs of a user (the users module's `User` has this shape). */
export interface Account {
  id: string;
  email: string;
  name: string;
  role: PrincipalRole;
  emailVerifiedAt: Date | null;
}

/** Where a session was opened from, as shown in the session list. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** The answer of sign-up, login and refresh (OAuth 2.0 token response names). */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
}
