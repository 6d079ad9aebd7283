import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { envSchema } from '../../src/infrastructure/config/env.schema.js';
import { DatabaseEndpoint } from '../../src/infrastructure/database/database-endpoint.js';
import { createHttpApp } from '../../src/infrastructure/http/create-http-app.js';
import { LogDestination } from '../../src/infrastructure/logging/log-destination.js';
import { LogCapture } from './log-capture.js';
import { createTestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL of the listening server, for real HTTP requests. */
  url: string;
  databaseUrl: string;
  logs: LogCapture;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables for this app (config is read from the environment at build time). */
  env?: Record<string, string | undefined>;
  /** An existing database; by default each app gets a new one. */
  databaseUrl?: string;
  /** Extra modules for this test only, e.g. a controller that throws or answers slowly. */
  imports?: (Type | DynamicModule)[];
  /** Called for every route Fastify's router registers (Nest's, Swagger UI's, HEAD twins included). */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
  /** Last chance to override providers, the Nest way (`jest.mock` does not work under ESM). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/**
 * The real application, through the same HTTP pipeline as production (`createHttpApp`),
 * listening on a free port of 127.0.0.1, on its own database, with its log lines captured.
 * Settings come only from `options.env` and the defaults: the application's variables in the
 * developer's shell (say REDIS_URL) do not leak in.
 *
 * Build apps one after the other, not concurrently: settings are read from `process.env`
 * while an app is built. Logging is process-wide: nestjs-pino builds its one pino-http
 * instance with the settings and destination of the first app of the process (the test file),
 * so every later app's lines reach the first app's capture. Assert on log lines only in the
 * first app a file builds.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const logs = new LogCapture();
  const app = await withEnv(
    { ...unsetAppVariables(), NODE_ENV: 'test', LOG_LEVEL: 'info', ...RATE_LIMITS_OUT_OF_THE_WAY, ...options.env },
    async () => {
      let builder = Test.createTestingModule({
        imports: [
          AppModule.forRoot({ database: new DatabaseEndpoint(databaseUrl, 'external') }),
          ...(options.imports ?? []),
        ],
      })
        .overrideProvider(LogDestination)
        .useValue({ stream: logs });
      builder = options.override?.(builder) ?? builder;
      const moduleRef = await builder.compile();
      const created = await createHttpApp(async (adapter, appOptions) => {
        if (options.onRoute) adapter.getInstance().addHook('onRoute', options.onRoute);
        return moduleRef.createNestApplication<NestFastifyApplication>(adapter, appOptions);
      });
      await created.listen({ port: 0, host: '127.0.0.1' });
      return created;
    },
  );
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, databaseUrl, logs, close: () => app.close() };
}

/**
 * Every suite's requests come from 127.0.0.1, and many sign up users, fail logins or submit
 * tasks by the dozen: the production budgets would answer 429 mid-file. Tests of the limits
 * (test/throttling, the guard-order test) set their own values.
 */
const RATE_LIMITS_OUT_OF_THE_WAY = {
  THROTTLE_LIMIT: '100000',
  THROTTLE_AUTH_LIMIT: '100000',
  THROTTLE_AUTH_FAILURE_LIMIT: '100000',
  THROTTLE_TASK_SUBMIT_LIMIT: '100000',
};

function unsetAppVariables(): Record<string, undefined> {
  return Object.fromEntries(Object.keys(envSchema.shape).map((name) => [name, undefined]));
}

/** Runs `work` with extra environment variables set, restoring the previous values afterwards. */
export async function withEnv<T>(env: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  assignEnv(env);
  try {
    return await work();
  } finally {
    assignEnv(previous);
  }
}

function assignEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}
