import { InvalidConfigError, parseEnv } from './env.schema.js';

function problemsOf(raw: Record<string, string>): string[] {
  try {
    parseEnv(raw);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

const encryptionKey = Buffer.alloc(32, 7).toString('base64');

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    expect(parseEnv({})).toMatchObject({
      NODE_ENV: 'development',
      APP_ROLE: 'all',
      HOST: '0.0.0.0',
      PORT: 3000,
      LOG_LEVEL: 'info',
      DATABASE_MIGRATIONS_RUN: true,
      EMBEDDED_DB_DIR: '.data/postgres',
      THROTTLE_TTL_MS: 60_000,
      THROTTLE_LIMIT: 300,
      TRUST_PROXY: 0,
      CORS_ORIGINS: [],
      BODY_LIMIT: 1024 * 1024,
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
  });

  it('converts types: numbers, booleans, lists and sizes', () => {
    expect(
      parseEnv({
        PORT: '8080',
        DATABASE_MIGRATIONS_RUN: 'false',
        CORS_ORIGINS: 'http://a.test, http://b.test',
        BODY_LIMIT: '512kb',
        TRUST_PROXY: '2',
      }),
    ).toMatchObject({
      PORT: 8080,
      DATABASE_MIGRATIONS_RUN: false,
      CORS_ORIGINS: ['http://a.test', 'http://b.test'],
      BODY_LIMIT: 512 * 1024,
      TRUST_PROXY: 2,
    });
  });

  it('treats empty variables as unset', () => {
    const env = parseEnv({ PORT: '', REDIS_URL: '' });
    expect(env.PORT).toBe(3000);
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('lists every bad variable with the reason and the value it got', () => {
    const problems = problemsOf({ PORT: 'abc', APP_ROLE: 'cook', BODY_LIMIT: 'lots' });
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT: must be a number (got "abc")',
        expect.stringMatching(/^APP_ROLE: .*"api".*"worker".*"all".* \(got "cook"\)$/),
        expect.stringMatching(/^BODY_LIMIT: must be a size in bytes/),
      ]),
    );
  });

  it('refuses HTTP_HEADERS_TIMEOUT_MS above HTTP_REQUEST_TIMEOUT_MS, which Node would refuse at start', () => {
    expect(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '6000' })).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS (5000) (got 6000)',
    ]);
    expect(parseEnv({ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '5000' }).HTTP_HEADERS_TIMEOUT_MS).toBe(
      5000,
    );
  });

  it('never echoes the value of a variable that may hold a credential', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql://root:hunter2@db/app',
      REDIS_URL: 'http://:hunter2@cache',
      SMTP_URL: 'http://u:hunter2@mail',
      WEBHOOK_ENCRYPTION_KEY: 'hunter2',
      AUTH_SIGNING_KEY: '{"d": "hunter2"',
    });
    expect(problems).toEqual([
      'DATABASE_URL: must be a URL (postgres: or postgresql:)',
      'REDIS_URL: must be a URL (redis: or rediss:)',
      'SMTP_URL: must be a URL (smtp: or smtps:)',
      expect.stringMatching(/^WEBHOOK_ENCRYPTION_KEY: must be 32 bytes/),
      'AUTH_SIGNING_KEY: must be a JSON object (a JWK)',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('reads the verification keys as a JSON array of objects', () => {
    expect(parseEnv({ AUTH_VERIFICATION_KEYS: '[{"kty":"OKP"}]' }).AUTH_VERIFICATION_KEYS).toEqual([{ kty: 'OKP' }]);
    expect(problemsOf({ AUTH_VERIFICATION_KEYS: '{"kty":"OKP"}' })).toEqual([
      'AUTH_VERIFICATION_KEYS: must be a JSON array of objects (public JWKs) (got "{\\"kty\\":\\"OKP\\"}")',
    ]);
  });

  it('accepts postgres:// and postgresql:// database URLs and redis:// or rediss:// Redis URLs', () => {
    expect(parseEnv({ DATABASE_URL: 'postgresql://u:p@db:5432/app' }).DATABASE_URL).toBe(
      'postgresql://u:p@db:5432/app',
    );
    expect(parseEnv({ REDIS_URL: 'rediss://cache:6380' }).REDIS_URL).toBe('rediss://cache:6380');
    expect(problemsOf({ REDIS_URL: 'http://cache' })).toEqual([expect.stringMatching(/^REDIS_URL: must be a URL/)]);
  });

  it('requires DATABASE_URL, WEBHOOK_ENCRYPTION_KEY and AUTH_SIGNING_KEY in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^DATABASE_URL: is required/),
      expect.stringMatching(/^WEBHOOK_ENCRYPTION_KEY: is required/),
      expect.stringMatching(/^AUTH_SIGNING_KEY: is required/),
    ]);
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db/app',
      WEBHOOK_ENCRYPTION_KEY: encryptionKey,
      AUTH_SIGNING_KEY: '{"kty":"OKP"}',
    };
    expect(parseEnv(production).NODE_ENV).toBe('production');
  });

  it('accepts only a webhook encryption key of exactly 32 bytes in base64', () => {
    expect(parseEnv({ WEBHOOK_ENCRYPTION_KEY: encryptionKey }).WEBHOOK_ENCRYPTION_KEY).toBe(encryptionKey);
    expect(problemsOf({ WEBHOOK_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toEqual([
      expect.stringMatching(/^WEBHOOK_ENCRYPTION_KEY: must be 32 bytes/),
    ]);
    expect(problemsOf({ WEBHOOK_ENCRYPTION_KEY: `whsec_${encryptionKey}` })).toHaveLength(1);
  });

  it('requires https for webhooks by default in production only', () => {
    expect(parseEnv({}).WEBHOOK_REQUIRE_HTTPS).toBeUndefined();
    expect(parseEnv({ WEBHOOK_REQUIRE_HTTPS: 'false' }).WEBHOOK_REQUIRE_HTTPS).toBe(false);
  });
});
