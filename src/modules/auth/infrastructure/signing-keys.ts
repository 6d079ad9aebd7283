import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { type AuthConfig, authConfig } from '../../../infrastructure/config/auth.config.js';

/** The JWS algorithm of each key type this module accepts: Ed25519 or P-256, nothing else. */
function algorithmOf(jwk: JWK): 'EdDSA' | 'ES256' {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  throw new Error(`Unsupported signing key (kty ${jwk.kty}, crv ${jwk.crv}): use Ed25519 (OKP) or P-256 (EC)`);
}

/** The public half of a JWK: only the members a verifier needs. */
function publicPart(jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, x, y }).filter(([, value]) => value !== undefined));
}

const DEVELOPMENT_KEY_FILE = 'signing-key.json';

/**
 * The keys of the access tokens. One private key signs (`AUTH_SIGNING_KEY`, a JWK); its public
 * half and any previous public keys (`AUTH_VERIFICATION_KEYS`) verify and are published as
 * the JWKS. Each key's `kid` is its RFC 7638 thumbprint, so it never needs configuring.
 *
 * Without `AUTH_SIGNING_KEY` (refused in production): under NODE_ENV=test a key is made in
 * memory; in development one is made once and kept in `AUTH_KEY_DIR`, so a restart does not
 * log everyone out.
 */
@Injectable()
export class SigningKeys implements OnModuleInit {
  private readonly logger = new Logger(SigningKeys.name);
  private signer: { key: CryptoKey | Uint8Array; kid: string; alg: 'EdDSA' | 'ES256' } | undefined;
  private published: { keys: JWK[] } = { keys: [] };
  private resolver: JWTVerifyGetKey | undefined;

  constructor(@Inject(authConfig.KEY) private readonly config: AuthConfig) {}

  async onModuleInit(): Promise<void> {
    const privateJwk = this.config.signingKey ?? (await this.unconfiguredKey());
    if (typeof privateJwk.d !== 'string') throw new Error('AUTH_SIGNING_KEY must be a private JWK (it has no "d")');
    const alg = algorithmOf(privateJwk);
    const signingPublic = publicPart(privateJwk);
    const kid = await calculateJwkThumbprint(signingPublic);
    this.signer = { key: await importJWK({ ...privateJwk, alg }, alg), kid, alg };

    const keys = [{ ...signingPublic, kid, alg, use: 'sig' }];
    for (const jwk of this.config.verificationKeys) {
      const verification = publicPart(jwk);
      const verificationKid = await calculateJwkThumbprint(verification);
      if (verificationKid !== kid)
        keys.push({ ...verification, kid: verificationKid, alg: algorithmOf(jwk), use: 'sig' });
    }
    this.published = { keys };
    this.resolver = createLocalJWKSet(this.published);
  }

  /** The key that signs new tokens. */
  get signing(): { key: CryptoKey | Uint8Array; kid: string; alg: 'EdDSA' | 'ES256' } {
    if (!this.signer) throw new Error('SigningKeys used before the module was initialised');
    return this.signer;
  }

  /** Resolves a token header's `kid` to a public key, for `jwtVerify`. */
  get verificationKeys(): JWTVerifyGetKey {
    if (!this.resolver) throw new Error('SigningKeys used before the module was initialised');
    return this.resolver;
  }

  /** The JWKS document (public keys only). */
  get jwks(): { keys: JWK[] } {
    return this.published;
  }

  private async unconfiguredKey(): Promise<JWK> {
    if (this.config.nodeEnv === 'production') throw new Error('AUTH_SIGNING_KEY is required in production');
    if (this.config.nodeEnv === 'test') return generateSigningJwk();
    const file = join(this.config.keyDirectory, DEVELOPMENT_KEY_FILE);
    const stored = await readFile(file, 'utf8').catch(() => undefined);
    if (stored !== undefined) return JSON.parse(stored) as JWK;
    await mkdir(this.config.keyDirectory, { recursive: true, mode: 0o700 });
    const jwk = await generateSigningJwk();
    // Written whole under a private name, then linked into place: a process starting at the same
    // moment either finds no file or a complete one, and if it linked first, its key is used.
    const draft = `${file}.${process.pid}.tmp`;
    await writeFile(draft, JSON.stringify(jwk), { mode: 0o600 });
    const linked = await link(draft, file).then(
      () => true,
      () => false,
    );
    await unlink(draft);
    if (!linked) return JSON.parse(await readFile(file, 'utf8')) as JWK;
    this.logger.log(`Generated a development signing key in ${file} (AUTH_SIGNING_KEY is unset)`);
    return jwk;
  }
}

/** A new Ed25519 private JWK, as `AUTH_SIGNING_KEY` takes it. */
export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return exportJWK(privateKey);
}
