import { randomUUID } from 'node:crypto';
import {
  base64url,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { generateSigningJwk } from '../../src/modules/auth/infrastructure/signing-keys.js';
import { expectProblem } from '../helpers/problem.js';
import { type AuthSession, bearer, signUp } from '../helpers/auth.js';
import { readJson } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { AUTH_TEST_ENV, authClient } from './auth-client.js';

const ISSUER = 'nest-modular-monolith';
const AUDIENCE = 'nest-modular-monolith-api';

const publicOf = ({ kty, crv, x }: JWK): JWK => ({ kty, crv, x });

/** Tokens made outside the app: tampered, expired, for another audience, signed by other keys. */
describe('auth: access tokens', () => {
  let t: TestApp;
  let api: ReturnType<typeof authClient>;
  let signingJwk: JWK;
  let previousJwk: JWK;
  let session: AuthSession;

  /** A token with the app's claims, changed by `claims` and signed by `jwk` (the app's key by default). */
  const forge = async (
    claims: Record<string, unknown> = {},
    {
      jwk = signingJwk,
      kid,
      typ = 'at+jwt',
      exp = '15m',
    }: { jwk?: JWK; kid?: string; typ?: string; exp?: string | number } = {},
  ) =>
    new SignJWT({
      sub: session.userId,
      iss: ISSUER,
      aud: AUDIENCE,
      sid: randomUUID(),
      role: 'admin',
      jti: randomUUID(),
      ...claims,
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: kid ?? (await calculateJwkThumbprint(publicOf(jwk))), typ })
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(await importJWK(jwk, 'EdDSA'));

  const expectRefused = async (token: string, code: string) => {
    const res = await api.me(bearer(token));
    await expectProblem(res, 401, code);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/,
    );
  };

  beforeAll(async () => {
    signingJwk = await generateSigningJwk();
    previousJwk = await generateSigningJwk();
    t = await createTestApp({
      env: {
        ...AUTH_TEST_ENV,
        AUTH_SIGNING_KEY: JSON.stringify(signingJwk),
        AUTH_VERIFICATION_KEYS: JSON.stringify([publicOf(previousJwk)]),
      },
    });
    api = authClient(t.url);
    session = await signUp(t.url);
  });
  afterAll(() => t?.close());

  it('publishes the signing key and the previous key at /.well-known/jwks.json, public halves only', async () => {
    const res = await fetch(`${t.url}/.well-known/jwks.json`);
    const jwks = await readJson<{ keys: JWK[] }>(res, 200);
    expect(jwks.keys).toEqual([
      { ...publicOf(signingJwk), kid: await calculateJwkThumbprint(publicOf(signingJwk)), alg: 'EdDSA', use: 'sig' },
      { ...publicOf(previousJwk), kid: await calculateJwkThumbprint(publicOf(previousJwk)), alg: 'EdDSA', use: 'sig' },
    ]);
    expect(JSON.stringify(jwks)).not.toContain(String(signingJwk.d));
  });

  it('issues tokens another service verifies with the JWKS alone: sub, sid, role, iss, aud, iat, exp, jti and kid', async () => {
    const jwks = (await (await fetch(`${t.url}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    const { payload, protectedHeader } = await jwtVerify(session.accessToken, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: jwks.keys[0].kid, typ: 'at+jwt' });
    expect(payload).toEqual({
      sub: session.userId,
      sid: expect.any(String),
      role: 'user',
      iss: ISSUER,
      aud: AUDIENCE,
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  it('accepts a token signed by the previous key while it lives (rotation)', async () => {
    expect((await api.me(bearer(await forge({}, { jwk: previousJwk })))).status).toBe(200);
  });

  it('refuses an expired token: AUTH.TOKEN_EXPIRED', async () => {
    await expectRefused(await forge({}, { exp: Math.floor(Date.now() / 1000) - 60 }), 'AUTH.TOKEN_EXPIRED');
  });

  it('refuses a token for another audience: AUTH.TOKEN_WRONG_AUDIENCE', async () => {
    await expectRefused(await forge({ aud: 'another-api' }), 'AUTH.TOKEN_WRONG_AUDIENCE');
  });

  it('refuses a token signed by a key it does not know: AUTH.TOKEN_UNKNOWN_KEY', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    await expectRefused(await forge({}, { jwk: await exportJWK(privateKey) }), 'AUTH.TOKEN_UNKNOWN_KEY');
  });

  it("refuses a token signed by another key under the app key's kid: AUTH.TOKEN_INVALID", async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const kid = await calculateJwkThumbprint(publicOf(signingJwk));
    await expectRefused(await forge({}, { jwk: await exportJWK(privateKey), kid }), 'AUTH.TOKEN_INVALID');
  });

  it('refuses a real token whose payload was changed (role user -> admin): AUTH.TOKEN_INVALID', async () => {
    const [header, payload, signature] = session.accessToken.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<string, unknown>;
    const tampered = base64url.encode(JSON.stringify({ ...claims, role: 'admin' }));
    await expectRefused(`${header}.${tampered}.${signature}`, 'AUTH.TOKEN_INVALID');
  });

  it('refuses alg "none" (an unsigned token): AUTH.TOKEN_INVALID', async () => {
    const [, payload] = session.accessToken.split('.');
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    await expectRefused(`${header}.${payload}.`, 'AUTH.TOKEN_INVALID');
  });

  it('refuses HS256 keyed with the public key (algorithm confusion): AUTH.TOKEN_INVALID', async () => {
    const kid = await calculateJwkThumbprint(publicOf(signingJwk));
    const token = await new SignJWT({ sid: randomUUID(), role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
      .setSubject(session.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('15m')
      .setJti(randomUUID())
      .sign(new TextEncoder().encode(JSON.stringify(publicOf(signingJwk))));
    await expectRefused(token, 'AUTH.TOKEN_INVALID');
  });

  it('refuses another issuer, a JWT that is not an access token (typ), and claims that are not ours', async () => {
    await expectRefused(await forge({ iss: 'someone-else' }), 'AUTH.TOKEN_INVALID');
    await expectRefused(await forge({}, { typ: 'JWT' }), 'AUTH.TOKEN_INVALID');
    await expectRefused(await forge({ role: 'root' }), 'AUTH.TOKEN_INVALID');
    await expectRefused(await forge({ sid: 'not-a-uuid' }), 'AUTH.TOKEN_INVALID');
  });

  it('refuses what is not a JWT, or not sent as a bearer token: AUTH.TOKEN_MALFORMED', async () => {
    await expectRefused('garbage', 'AUTH.TOKEN_MALFORMED');
    await expectRefused(`${'a'.repeat(5000)}.b.c`, 'AUTH.TOKEN_MALFORMED');
    const basic = await api.me({ authorization: `Basic ${Buffer.from('ada:secret').toString('base64')}` });
    await expectProblem(basic, 401, 'AUTH.TOKEN_MALFORMED');
    const empty = await api.me({ authorization: 'Bearer ' });
    await expectProblem(empty, 401, 'AUTH.TOKEN_MALFORMED');
  });

  it('takes the scheme case-insensitively (RFC 6750)', async () => {
    expect((await api.me({ authorization: `bearer ${session.accessToken}` })).status).toBe(200);
  });

  it('answers 401 AUTH.TOKEN_MISSING with a bare challenge when there is no token', async () => {
    const res = await api.me({});
    await expectProblem(res, 401, 'AUTH.TOKEN_MISSING');
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
  });

  it('lets public routes through without a token, and ignores a bad one there', async () => {
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${t.url}/v1/info`, { headers: bearer('garbage') })).status).toBe(200);
    const login = await api.logIn(session.email, session.password, bearer('expired.or.garbage'));
    expect(login.status).toBe(200);
  });
});
