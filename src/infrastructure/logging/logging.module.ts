import type { IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { type LoggingConfig, loggingConfig } from '../config/logging.config.js';
import { LogDestination } from './log-destination.js';
import { redactedUrl, serializeError } from './log-redaction.js';

/**
 * The request headers a request log line shows. A list of what is useful rather than a list
 * of what to hide: credentials (authorization, cookies, API keys) never reach the line, nor
 * does any header added later, and the line stays short (it is written for every request).
 */
const LOGGED_HEADERS = ['user-agent', 'content-type', 'content-length', 'x-api-version', 'x-forwarded-for', 'referer'];

function loggedHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const logged: Record<string, unknown> = {};
  for (const name of LOGGED_HEADERS) if (headers[name] !== undefined) logged[name] = headers[name];
  return logged;
}

/** Keys whose values never reach a log line, at any of the first three levels of a logged object. */
export const REDACTED_PATHS = ['password', 'token', 'accessToken', 'refreshToken', 'secret', 'apiKey'].flatMap(
  (key) => [key, `*.${key}`, `*.*.${key}`],
);

const isProbe = (req: IncomingMessage) => req.url?.startsWith('/health/') ?? false;

/**
 * nestjs-pino: one pino logger for the app and for request logs. Each request gets a child
 * logger bound to its `requestId` (kept in AsyncLocalStorage by nestjs-pino), so every
 * line written while handling it carries the id without passing it around.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [loggingConfig.KEY, LogDestination],
      providers: [LogDestination],
      useFactory: (config: LoggingConfig, destination: LogDestination) => {
        const options: Options = {
          level: config.level,
          genReqId: (req) => (req as IncomingMessage & { id: string }).id,
          customAttributeKeys: { reqId: 'requestId' },
          quietReqLogger: true,
          redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
          autoLogging: { ignore: isProbe },
          serializers: {
            req: (req: { method: string; url: string; headers: Record<string, unknown>; remoteAddress: string }) => ({
              method: req.method,
              // Query values name people (`?email=`, `?q=`) or open doors (`?token=`): names only.
              url: redactedUrl(req.url),
              headers: loggedHeaders(req.headers),
              remoteAddress: req.remoteAddress,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            // A failed statement's values (TypeORM's `parameters`, PostgreSQL's `detail`) stay out.
            err: serializeError,
          },
          customLogLevel: (_req, res, error) =>
            error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          transport:
            config.pretty && !destination.stream ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
        };
        return {
          pinoHttp: destination.stream ? [options, destination.stream] : options,
          // Mounted by RequestLogging as a Fastify hook instead (see request-logging.ts): as Nest
          // middleware it went through @fastify/middie, which was the costliest step per request.
          forRoutes: [],
          // PinoLogger.assign (the authentication guard adds `userId`) also reaches the request's completion line.
          assignResponse: true,
        };
      },
    }),
  ],
})
export class LoggingModule {}
