import type { IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { type LoggingConfig, loggingConfig } from '../config/logging.config.js';
import { LogDestination } from './log-destination.js';

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...['password', 'token', 'accessToken', 'refreshToken', 'secret', 'apiKey'].flatMap((key) => [
    key,
    `*.${key}`,
    `*.*.${key}`,
  ]),
];

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
              url: req.url,
              headers: req.headers,
              remoteAddress: req.remoteAddress,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
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
        };
      },
    }),
  ],
})
export class LoggingModule {}
