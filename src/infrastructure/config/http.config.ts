import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const httpConfig = registerAs('http', () => {
  const env = loadEnv();
  return {
    trustProxyHops: env.TRUST_PROXY,
    corsOrigins: env.CORS_ORIGINS,
    bodyLimitBytes: env.BODY_LIMIT,
    throttle: { ttlMs: env.THROTTLE_TTL_MS, limit: env.THROTTLE_LIMIT },
  };
});
export type HttpConfig = ReturnType<typeof httpConfig>;
