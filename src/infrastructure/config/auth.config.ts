import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const authConfig = registerAs('auth', () => {
  const env = loadEnv();
  return {
    /** `test` keeps a generated key in memory; `development` keeps it under `keyDirectory`. */
    nodeEnv: env.NODE_ENV,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    /** Private JWK the access tokens are signed with; required in production. */
    signingKey: env.AUTH_SIGNING_KEY,
    /** Public JWKs still accepted (and published) while tokens of a previous key live out their lifetime. */
    verificationKeys: env.AUTH_VERIFICATION_KEYS,
    keyDirectory: env.AUTH_KEY_DIR,
    accessTokenTtlS: env.AUTH_ACCESS_TOKEN_TTL_S,
    refreshTokenTtlS: env.AUTH_REFRESH_TOKEN_TTL_S,
    sessionMaxAgeS: env.AUTH_SESSION_MAX_AGE_S,
    /** A rotated refresh token presented again this soon is a client racing itself, not a thief. */
    refreshRaceWindowMs: env.AUTH_REFRESH_RACE_WINDOW_MS,
    argon2: {
      memoryCost: env.AUTH_ARGON2_MEMORY_KIB,
      timeCost: env.AUTH_ARGON2_TIME_COST,
      parallelism: env.AUTH_ARGON2_PARALLELISM,
    },
    /** Password hashes computed at once per process; the rest wait their turn. */
    hashConcurrency: env.AUTH_HASH_CONCURRENCY,
    login: {
      maxFailuresPerAccount: env.AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: env.AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMs: env.AUTH_LOGIN_WINDOW_MS,
    },
    passwordResetTtlS: env.AUTH_PASSWORD_RESET_TTL_S,
    emailVerificationTtlS: env.AUTH_EMAIL_VERIFICATION_TTL_S,
    tokenCacheSize: env.AUTH_TOKEN_CACHE_SIZE,
  };
});
export type AuthConfig = ReturnType<typeof authConfig>;
