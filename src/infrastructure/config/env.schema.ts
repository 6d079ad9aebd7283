import { z } from 'zod';
import { trustProxySetting } from './trust-proxy.js';

const booleanString = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const positiveInt = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .positive('must be greater than 0');

const url = (protocols: string[]) =>
  z.url({
    error: `must be a URL (${protocols.join(' or ')})`,
    protocol: new RegExp(`^(${protocols.map((p) => p.replace(':', '')).join('|')})$`),
  });

/** A prefix for keys or queue names shared with other deployments. */
const namespace = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits or _');

/** Parses a size such as `1048576`, `512kb` or `1mb` into bytes. */
const byteSize = z
  .string()
  .regex(/^\d+\s*(b|kb|mb)?$/i, 'must be a size in bytes, or with kb/mb suffix (for example 1mb)')
  .transform((value) => {
    const [, amount, unit = 'b'] = /^(\d+)\s*(b|kb|mb)?$/i.exec(value)!;
    const factor = { b: 1, kb: 1024, mb: 1024 * 1024 }[unit.toLowerCase() as 'b' | 'kb' | 'mb'];
    return Number(amount) * factor;
  });

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * JSON in one line, of the shape `accept` takes. The issue never quotes the value (the
 * message says what was expected): it may be a private key.
 */
const json = <T>(accept: (value: unknown) => value is T, message: string) =>
  z.string().transform((value, context) => {
    try {
      const parsed: unknown = JSON.parse(value);
      if (accept(parsed)) return parsed;
    } catch {
      // reported below
    }
    context.addIssue({ code: 'custom', message });
    return z.NEVER;
  });

const jsonObject = json(isObject, 'must be a JSON object (a JWK)');
const jsonObjectArray = json(
  (value): value is Record<string, unknown>[] => Array.isArray(value) && value.every(isObject),
  'must be a JSON array of objects (public JWKs)',
);

const nonNegativeInt = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more');

/** Variables whose values never appear in a configuration error. */
const SECRET_VARIABLES = new Set([
  'AUTH_SIGNING_KEY',
  'WEBHOOK_ENCRYPTION_KEY',
  'DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
]);

/**
 * Every environment variable the application reads, with its default.
 * `.env.example` documents the same list; keep both in step.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  APP_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATABASE_MIGRATIONS_RUN: booleanString.default(true),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt.default(3000),
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt.default(10_000),
  EMBEDDED_DB_DIR: z.string().min(1).default('.data/postgres'),
  EMBEDDED_DB_PORT: port.optional(),

  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  QUEUE_PREFIX: namespace.default('app'),
  QUEUE_TIMEOUT_MS: positiveInt.default(3000),
  DEPENDENCY_RETRY_AFTER_S: positiveInt.max(3600, 'must be 3600 or less').default(5),

  THROTTLE_TTL_MS: positiveInt.default(60_000),
  THROTTLE_LIMIT: positiveInt.default(300),
  THROTTLE_AUTH_LIMIT: positiveInt.default(10),
  THROTTLE_AUTH_FAILURE_LIMIT: positiveInt.default(30),
  THROTTLE_TASK_SUBMIT_LIMIT: positiveInt.default(60),
  THROTTLE_KEY_PREFIX: namespace.default('throttle'),
  THROTTLE_STORE_TIMEOUT_MS: positiveInt.default(1000),
  TRUST_PROXY: trustProxySetting.default(0),
  CORS_ORIGINS: csv.default([]),
  BODY_LIMIT: byteSize.default(1024 * 1024),
  TASK_BODY_LIMIT: byteSize.default(256 * 1024),
  JSON_MAX_DEPTH: positiveInt.max(1000, 'must be 1000 or less').default(32),
  JSON_MAX_KEYS: positiveInt.default(1000),
  JSON_MAX_ITEMS: positiveInt.default(10_000),
  JSON_MAX_STRING_LENGTH: positiveInt.default(100_000),
  JSON_MAX_KEY_LENGTH: positiveInt.default(200),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(72_000),
  HTTP_CONNECTION_TIMEOUT_MS: positiveInt.default(120_000),
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: nonNegativeInt.default(1000),
  /** Unset: 90% of V8's heap limit (see http.config.ts); 0: not checked. */
  PRESSURE_MAX_HEAP_USED: byteSize.optional(),
  PRESSURE_MAX_RSS: byteSize.default(0),
  PRESSURE_RETRY_AFTER_S: positiveInt.max(3600, 'must be 3600 or less').default(10),

  TASK_CONCURRENCY: positiveInt.default(10),
  TASK_MAX_ATTEMPTS: positiveInt.max(50, 'must be 50 or less').default(3),
  TASK_LOCK_DURATION_MS: positiveInt.min(1000, 'must be at least 1000').default(30_000),
  TASK_RECONCILE_INTERVAL_MS: positiveInt.default(30_000),
  TASK_RECONCILE_AFTER_MS: positiveInt.default(60_000),
  TASK_CANCEL_POLL_MS: positiveInt.default(1000),
  /** Tasks of one owner running at once, across all workers; unset: max(1, floor(TASK_CONCURRENCY / 2)). */
  TASK_MAX_RUNNING_PER_OWNER: positiveInt.optional(),
  TASK_IDEMPOTENCY_TTL_S: positiveInt.default(86_400),
  TASK_RETENTION_DAYS: positiveInt.max(36_500, 'must be 36500 or less').default(30),
  TASK_CIRCUIT_WAIT_MAX_MS: nonNegativeInt.default(3_600_000),

  RETENTION_INTERVAL_MS: positiveInt.min(1000, 'must be at least 1000').default(3_600_000),
  RETENTION_BATCH_SIZE: positiveInt.max(100_000, 'must be 100000 or less').default(1000),

  OUTBOX_POLL_INTERVAL_MS: positiveInt.min(100, 'must be at least 100').default(5000),
  OUTBOX_BATCH_SIZE: positiveInt.max(1000, 'must be 1000 or less').default(100),
  OUTBOX_CONCURRENCY: positiveInt.max(64, 'must be 64 or less').default(4),
  OUTBOX_LISTENER_TIMEOUT_MS: positiveInt.min(100, 'must be at least 100').default(30_000),
  OUTBOX_RETRY_MAX_DELAY_MS: positiveInt.min(1000, 'must be at least 1000').default(300_000),
  OUTBOX_RETENTION_HOURS: positiveInt.max(87_600, 'must be 87600 or less').default(24),

  RETRY_BASE_DELAY_MS: positiveInt.default(1000),
  RETRY_MAX_DELAY_MS: positiveInt.default(60_000),
  OUTBOUND_TIMEOUT_MS: positiveInt.default(10_000),
  CIRCUIT_BREAKER_THRESHOLD: positiveInt.default(5),
  CIRCUIT_BREAKER_COOLDOWN_MS: positiveInt.default(30_000),

  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).default('API <no-reply@localhost>'),
  MAIL_DIR: z.string().min(1).default('.data/mail'),

  WEBHOOK_ENCRYPTION_KEY: z
    .string()
    .refine((value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32, {
      error: 'must be 32 bytes in base64 (openssl rand -base64 32)',
    })
    .optional(),
  WEBHOOK_KEY_DIR: z.string().min(1).default('.data/webhooks'),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanString.default(false),
  /** Unset: true in production, false otherwise (see webhooks.config.ts). */
  WEBHOOK_REQUIRE_HTTPS: booleanString.optional(),
  WEBHOOK_SECRET_GRACE_S: positiveInt.default(86_400),
  WEBHOOK_MAX_ENDPOINTS_PER_OWNER: positiveInt.default(20),

  AUTH_ISSUER: z.string().min(1).default('nest-modular-monolith'),
  AUTH_AUDIENCE: z.string().min(1).default('nest-modular-monolith-api'),
  AUTH_SIGNING_KEY: jsonObject.optional(),
  AUTH_VERIFICATION_KEYS: jsonObjectArray.default([]),
  AUTH_KEY_DIR: z.string().min(1).default('.data/auth'),
  AUTH_ACCESS_TOKEN_TTL_S: positiveInt.max(86_400, 'must be at most 86400 (one day)').default(900),
  AUTH_REFRESH_TOKEN_TTL_S: positiveInt.default(30 * 86_400),
  AUTH_SESSION_MAX_AGE_S: positiveInt.default(90 * 86_400),
  AUTH_REFRESH_RACE_WINDOW_MS: nonNegativeInt.max(60_000, 'must be at most 60000').default(2000),
  AUTH_ARGON2_MEMORY_KIB: positiveInt.min(1024, 'must be at least 1024').default(19_456),
  AUTH_ARGON2_TIME_COST: positiveInt.default(2),
  AUTH_ARGON2_PARALLELISM: positiveInt.max(16, 'must be 16 or less').default(1),
  AUTH_HASH_CONCURRENCY: positiveInt.max(64, 'must be 64 or less').default(2),
  AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.default(5),
  AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt.default(20),
  AUTH_LOGIN_WINDOW_MS: positiveInt.default(15 * 60_000),
  AUTH_PASSWORD_RESET_TTL_S: positiveInt.default(30 * 60),
  AUTH_EMAIL_VERIFICATION_TTL_S: positiveInt.default(24 * 3600),
  AUTH_TOKEN_CACHE_SIZE: positiveInt.default(10_000),

  /** Unset: `admin` in production, `public` otherwise (see exposure.config.ts). */
  DOCS_ACCESS: z.enum(['public', 'admin'], { error: 'must be public or admin' }).optional(),
  HEALTH_DETAILS_ACCESS: z.enum(['public', 'admin'], { error: 'must be public or admin' }).optional(),
});

export type Env = z.infer<typeof envSchema>;

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

/** Validates raw variables; throws one error listing every bad variable and why. */
export function parseEnv(raw: Record<string, unknown>): Env {
  const withoutBlanks = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(withoutBlanks);
  if (!result.success) {
    throw new InvalidConfigError(
      result.error.issues.map(
        (issue) =>
          `${issue.path.join('.')}: ${issue.message}` +
          (SECRET_VARIABLES.has(String(issue.path[0])) ? '' : ` (got ${JSON.stringify(raw[String(issue.path[0])])})`),
      ),
    );
  }
  const env = result.data;
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    // Node refuses to start a server whose headers may take longer than the whole request.
    throw new InvalidConfigError([
      `HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS (${env.HTTP_REQUEST_TIMEOUT_MS}) (got ${env.HTTP_HEADERS_TIMEOUT_MS})`,
    ]);
  }
  if (env.NODE_ENV === 'production') {
    const missing = [
      !env.DATABASE_URL &&
        'DATABASE_URL: is required when NODE_ENV=production (the embedded PostgreSQL is for development only)',
      !env.WEBHOOK_ENCRYPTION_KEY &&
        'WEBHOOK_ENCRYPTION_KEY: is required when NODE_ENV=production (it encrypts the webhook signing secrets at rest)',
      !env.AUTH_SIGNING_KEY &&
        'AUTH_SIGNING_KEY: is required when NODE_ENV=production (a private JWK; see docs/operations.md, "Signing keys")',
    ].filter((problem): problem is string => Boolean(problem));
    if (missing.length > 0) throw new InvalidConfigError(missing);
  }
  return env;
}
