import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const loggingConfig = registerAs('logging', () => {
  const env = loadEnv();
  return {
    level: env.LOG_LEVEL,
    pretty: env.NODE_ENV !== 'production' && Boolean(process.stdout.isTTY),
  };
});
export type LoggingConfig = ReturnType<typeof loggingConfig>;
