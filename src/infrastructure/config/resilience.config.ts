import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const resilienceConfig = registerAs('resilience', () => {
  const env = loadEnv();
  return {
    retry: { baseDelayMs: env.RETRY_BASE_DELAY_MS, maxDelayMs: env.RETRY_MAX_DELAY_MS },
    timeoutMs: env.OUTBOUND_TIMEOUT_MS,
    breaker: { threshold: env.CIRCUIT_BREAKER_THRESHOLD, cooldownMs: env.CIRCUIT_BREAKER_COOLDOWN_MS },
    /** `Retry-After` of the 503 answered while the database, Redis or the queue is unreachable. */
    dependencyRetryAfterS: env.DEPENDENCY_RETRY_AFTER_S,
  };
});
export type ResilienceConfig = ReturnType<typeof resilienceConfig>;
