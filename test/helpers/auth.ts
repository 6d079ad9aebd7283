import { randomBytes } from 'node:crypto';
import { withClient } from './test-database.js';

/**
 * Identity for e2e tests: sign up through the real API, and turn an account into an admin.
 * Every protected route needs `Authorization: Bearer <accessToken>` since the identity issue.
 */

export interface TokenPairJson {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface AuthSession extends TokenPairJson {
  userId: string;
  email: string;
  password: string;
  /** `{ authorization: 'Bearer <accessToken>' }`, to spread into a request's headers. */
  headers: Record<string, string>;
}

export const bearer = (accessToken: string): Record<string, string> => ({ authorization: `Bearer ${accessToken}` });

/** A password no list holds and no email equals. */
export const strongPassword = (): string => `pw ${randomBytes(9).toString('base64url')} horse battery`;

export const uniqueEmail = (prefix = 'user'): string => `${prefix}-${randomBytes(5).toString('hex')}@example.com`;

/** POST /v1/auth/signup; fails loudly on anything but a 201. */
export async function signUp(
  baseUrl: string,
  account: { email?: string; name?: string; password?: string } = {},
): Promise<AuthSession> {
  const email = account.email ?? uniqueEmail();
  const password = account.password ?? strongPassword();
  const res = await fetch(`${baseUrl}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: account.name ?? 'Test User', password }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /v1/auth/signup ${email} answered ${res.status}: ${text}`);
  const body = JSON.parse(text) as TokenPairJson & { user: { id: string; email: string } };
  return session(body, body.user.id, body.user.email, password);
}

/** POST /v1/auth/login; fails loudly on anything but a 200. */
export async function logIn(baseUrl: string, email: string, password: string): Promise<AuthSession> {
  const res = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /v1/auth/login ${email} answered ${res.status}: ${text}`);
  const me = await fetch(`${baseUrl}/v1/auth/me`, { headers: bearer((JSON.parse(text) as TokenPairJson).accessToken) });
  const { id } = (await me.json()) as { id: string };
  return session(JSON.parse(text) as TokenPairJson, id, email, password);
}

/**
 * A new account made admin in the database (as `npm run users:create-admin` would), then
 * logged in, so its access token carries the admin role.
 */
export async function adminSession(baseUrl: string, databaseUrl: string): Promise<AuthSession> {
  const user = await signUp(baseUrl, { email: uniqueEmail('admin'), name: 'Test Admin' });
  await withClient(databaseUrl, (db) => db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.userId]));
  return logIn(baseUrl, user.email, user.password);
}

function session(tokens: TokenPairJson, userId: string, email: string, password: string): AuthSession {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: tokens.tokenType,
    expiresIn: tokens.expiresIn,
    userId,
    email,
    password,
    headers: bearer(tokens.accessToken),
  };
}
