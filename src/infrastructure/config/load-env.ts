import { existsSync } from 'node:fs';
import { type Env, parseEnv } from './env.schema.js';

/**
 * The one place that reads `process.env`: a `.env` file in the working directory is loaded
 * first (variables already set win; never under NODE_ENV=test, so a developer's `.env` cannot
 * change what the tests see), then everything is validated.
 */
export function loadEnv(): Env {
  if (process.env.NODE_ENV !== 'test' && existsSync('.env')) process.loadEnvFile('.env');
  return parseEnv(process.env);
}
