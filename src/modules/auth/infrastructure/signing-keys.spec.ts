import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { AuthConfig } from '../../../infrastructure/config/auth.config.js';
import { generateSigningJwk, SigningKeys } from './signing-keys.js';

const configWith = (overrides: Partial<AuthConfig>) =>
  ({
    nodeEnv: 'test',
    signingKey: undefined,
    verificationKeys: [],
    keyDirectory: '.data/auth',
    ...overrides,
  }) as AuthConfig;

async function started(config: AuthConfig): Promise<SigningKeys> {
  const keys = new SigningKeys(config);
  await keys.onModuleInit();
  return keys;
}

describe('SigningKeys', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'signing-keys-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('signs with the configured key and publishes only its public half, under its thumbprint', async () => {
    const jwk = await generateSigningJwk();
    const keys = await started(configWith({ nodeEnv: 'production', signingKey: jwk }));

    expect(keys.jwks.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: keys.signing.kid, alg: 'EdDSA', use: 'sig' },
    ]);
    expect(keys.signing.kid).toMatch(/^[\w-]{43}$/);
  });

  it('refuses to start in production without a key, and with a public key or an RSA key', async () => {
    await expect(started(configWith({ nodeEnv: 'production' }))).rejects.toThrow(
      'AUTH_SIGNING_KEY is required in production',
    );
    const { x, kty, crv } = await generateSigningJwk();
    await expect(started(configWith({ signingKey: { x, kty, crv } }))).rejects.toThrow('must be a private JWK');
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    await expect(started(configWith({ signingKey: await exportJWK(privateKey) }))).rejects.toThrow(
      'Unsupported signing key (kty RSA',
    );
  });

  it('in development, makes a key once in AUTH_KEY_DIR (owner-only) and reuses it at the next start', async () => {
    const config = configWith({ nodeEnv: 'development', keyDirectory: join(directory, 'auth') });
    const first = await started(config);
    const file = join(directory, 'auth', 'signing-key.json');

    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveProperty('d');
    expect((await started(config)).signing.kid).toBe(first.signing.kid);
  });

  it('under NODE_ENV=test, makes a new key in memory each time and writes nothing', async () => {
    const config = configWith({ keyDirectory: join(directory, 'auth') });
    const [a, b] = [await started(config), await started(config)];

    expect(a.signing.kid).not.toBe(b.signing.kid);
    await expect(stat(join(directory, 'auth'))).rejects.toThrow('ENOENT');
  });

  it('also publishes the previous public keys, once each', async () => {
    const previous = await generateSigningJwk();
    const current = await generateSigningJwk();
    const publicPrevious = { kty: previous.kty, crv: previous.crv, x: previous.x };
    const keys = await started(
      configWith({
        signingKey: current,
        verificationKeys: [publicPrevious, { kty: current.kty, crv: current.crv, x: current.x }],
      }),
    );

    expect(keys.jwks.keys.map((key) => key.x)).toEqual([current.x, previous.x]);
  });
});
