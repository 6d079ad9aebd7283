import { createHash, randomBytes } from 'node:crypto';

/** 256 bits, base64url: the shape of every opaque token this module hands out. */
export const OPAQUE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new opaque token (refresh, password reset, email verification) and the hash that is stored instead of it. */
export function newOpaqueToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

/**
 * SHA-256, not a password hash: the token has 256 bits of entropy, so nothing can be guessed
 * from its hash, and the lookup stays one indexed read.
 */
export function hashOpaqueToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
