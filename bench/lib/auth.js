import { generateKeyPairSync, randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Every app route but the probes, /v1/info and the auth routes needs `Authorization: Bearer
 * <access token>`. The bench signs an account up through the API, as a client would, before
 * any load; every measured request then carries its token, so the app verifies it (signature,
 * session) each time, as in production. The baselines get the same header and ignore it.
 */

/**
 * A throw-away Ed25519 private JWK for `AUTH_SIGNING_KEY`, which production requires.
 * @returns {string}
 */
export function throwawaySigningKey() {
  const { privateKey } = generateKeyPairSync('ed25519');
  return JSON.stringify(privateKey.export({ format: 'jwk' }));
}

/** @param {string} accessToken */
export const bearer = (accessToken) => ({ authorization: `Bearer ${accessToken}` });

/**
 * @param {string} url
 * @param {object} body
 * @param {number} expected
 */
async function post(url, body, expected) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

/**
 * `POST /v1/auth/signup` with a new email and a random password.
 * @param {string} appUrl
 * @returns {Promise<{ userId: string, email: string, password: string, accessToken: string }>}
 */
export async function signUp(appUrl) {
  const email = `bench-${randomBytes(6).toString('hex')}@example.com`;
  const password = `bench ${randomBytes(12).toString('base64url')}`;
  const body = await post(`${appUrl}/v1/auth/signup`, { email, name: 'Bench Client', password }, 201);
  return { userId: body.user.id, email, password, accessToken: body.accessToken };
}

/**
 * The access token of a new admin: signed up, given the admin role in the database (as
 * `npm run users:create-admin` would), then logged in again, since a token carries the role it
 * was issued with.
 * @param {string} appUrl
 * @param {string} databaseUrl
 * @returns {Promise<string>}
 */
export async function adminAccessToken(appUrl, databaseUrl) {
  const account = await signUp(appUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [account.userId]);
  } finally {
    await client.end();
  }
  const tokens = await post(`${appUrl}/v1/auth/login`, { email: account.email, password: account.password }, 200);
  return tokens.accessToken;
}
