import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const httpConfig = registerAs('http', () => {
  const env = loadEnv();
  return {
    trustProxyHops: env.TRUST_PROXY,
    corsOrigins: env.CORS_ORIGINS,
    bodyLimitBytes: env.BODY_LIMIT,
    // keyPrefix namespaces the counters when they live in a Redis shared with other deployments.
    throttle: { ttlMs: env.THROTTLE_TTL_MS, limit: env.THROTTLE_LIMIT, keyPrefix: env.THROTTLE_KEY_PREFIX },
  };
});
export type HttpConfig = ReturnType<typeof httpConfig>;
