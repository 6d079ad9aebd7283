import { getHeapStatistics } from 'node:v8';
import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const httpConfig = registerAs('http', () => {
  const env = loadEnv();
  return {
    /** A hop count (0 = none) or the proxies' addresses and CIDR ranges; see trust-proxy.ts. */
    trustProxy: env.TRUST_PROXY,
    corsOrigins: env.CORS_ORIGINS,
    bodyLimitBytes: env.BODY_LIMIT,
    /** Node's HTTP server timeouts (see docs/operations.md, "Timeouts and load shedding"). */
    timeouts: {
      /** The whole request, headers and body, must arrive within this; then a 408. */
      requestMs: env.HTTP_REQUEST_TIMEOUT_MS,
      /** The headers must arrive within this (at most `requestMs`); then a 408. */
      headersMs: env.HTTP_HEADERS_TIMEOUT_MS,
      /** An idle kept-alive connection is closed after this. */
      keepAliveMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      /** A connection with no traffic either way is destroyed after this. */
      connectionMs: env.HTTP_CONNECTION_TIMEOUT_MS,
    },
    /** Past any of these (0: not checked), new requests get 503 with Retry-After; probes still answer. */
    pressure: {
      maxEventLoopDelayMs: env.PRESSURE_MAX_EVENT_LOOP_DELAY_MS,
      // Near V8's limit the process is about to die of an out-of-memory error: shed load before.
      maxHeapUsedBytes: env.PRESSURE_MAX_HEAP_USED ?? Math.floor(getHeapStatistics().heap_size_limit * 0.9),
      maxRssBytes: env.PRESSURE_MAX_RSS,
      retryAfterS: env.PRESSURE_RETRY_AFTER_S,
    },
    /** Route-level body limits (`@BodyLimit(name)`), never above the global one. */
    routeBodyLimitBytes: { task: Math.min(env.TASK_BODY_LIMIT, env.BODY_LIMIT) },
    /** What any JSON body may hold (json-limits.ts). */
    json: {
      maxDepth: env.JSON_MAX_DEPTH,
      maxKeys: env.JSON_MAX_KEYS,
      maxItems: env.JSON_MAX_ITEMS,
      maxStringLength: env.JSON_MAX_STRING_LENGTH,
      maxKeyLength: env.JSON_MAX_KEY_LENGTH,
    },
    throttle: {
      /** The window of every budget. */
      ttlMs: env.THROTTLE_TTL_MS,
      /** Requests per window per principal (the user, or the address when anonymous), all routes together. */
      limit: env.THROTTLE_LIMIT,
      /** Requests per window per address on the `@RateLimit('auth')` routes together. */
      authLimit: env.THROTTLE_AUTH_LIMIT,
      /** Failed authentications (401s) per window per address before its protected requests get 429. */
      authFailureLimit: env.THROTTLE_AUTH_FAILURE_LIMIT,
      /** Task submissions per window per principal. */
      taskSubmitLimit: env.THROTTLE_TASK_SUBMIT_LIMIT,
      // keyPrefix namespaces the counters when they live in a Redis shared with other deployments.
      keyPrefix: env.THROTTLE_KEY_PREFIX,
      /** Deadline of one call to the Redis counters; past it the request gets 503. */
      storeTimeoutMs: env.THROTTLE_STORE_TIMEOUT_MS,
    },
  };
});
export type HttpConfig = ReturnType<typeof httpConfig>;
