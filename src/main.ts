import 'reflect-metadata';
import { type INestApplicationContext, Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { type Env, InvalidConfigError } from './infrastructure/config/env.schema.js';
import type { DatabaseEndpoint } from './infrastructure/database/database-endpoint.js';
import { loadEnv } from './infrastructure/config/load-env.js';
import { maskUrl } from './infrastructure/database/embedded-postgres.js';
import { resolveDatabase } from './infrastructure/database/resolve-database.js';
import { createHttpApp } from './infrastructure/http/create-http-app.js';
import { OPENAPI_UI_PATH } from './infrastructure/http/openapi.js';
import { QUEUE_BACKEND } from './infrastructure/queue/queue-backend.module.js';
import type { QueueBackend } from './infrastructure/queue/queue-backend.js';
import { shutdownGracefully } from './infrastructure/lifecycle/graceful-shutdown.js';

async function start(env: Env, endpoint: DatabaseEndpoint): Promise<INestApplicationContext> {
  const module = AppModule.forRoot({ database: endpoint });
  if (env.APP_ROLE === 'worker') {
    const app = await NestFactory.createApplicationContext(module, { bufferLogs: true, abortOnError: false });
    app.useLogger(app.get(Logger));
    return app.init();
  }
  const app = await createHttpApp((adapter, options) =>
    NestFactory.create(module, adapter, { ...options, abortOnError: false }),
  );
  await app.listen({ port: env.PORT, host: env.HOST });
  return app;
}

async function bootstrap(): Promise<void> {
  const env = loadEnv();
  const database = await resolveDatabase(env, (message) => console.error(`[embedded-postgres] ${message}`));
  const app = await start(env, database.endpoint).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });

  const logger = new NestLogger('Bootstrap');
  const queue = app.get<QueueBackend>(QUEUE_BACKEND);
  const base = `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}`;
  logger.log({
    msg: `Started (role ${env.APP_ROLE})`,
    role: env.APP_ROLE,
    ...(env.APP_ROLE !== 'worker' && {
      api: `${base}/v1`,
      docs: `${base}/${OPENAPI_UI_PATH}`,
      readiness: `${base}/health/ready`,
    }),
    database: `${database.endpoint.kind} ${maskUrl(database.endpoint.url)}`,
    queue: queue.kind,
  });

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining requests and jobs (up to ${env.SHUTDOWN_TIMEOUT_MS} ms)`);
    void shutdownGracefully(app, {
      timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      logger,
      afterClose: () => database.stop(),
    }).then((exitCode) => {
      logger.log(`Shutdown complete (exit code ${exitCode})`);
      process.exit(exitCode);
    });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof InvalidConfigError) {
    console.error(error.message);
  } else {
    console.error('Startup failed:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
