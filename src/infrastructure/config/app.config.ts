import { readFileSync } from 'node:fs';
import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

export const appConfig = registerAs('app', () => {
  const env = loadEnv();
  return {
    name: manifest.name,
    version: manifest.version,
    nodeEnv: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    role: env.APP_ROLE,
    runsHttp: env.APP_ROLE !== 'worker',
    runsWorkers: env.APP_ROLE !== 'api',
    host: env.HOST,
    port: env.PORT,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
});
export type AppConfig = ReturnType<typeof appConfig>;
