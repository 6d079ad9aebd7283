import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { throwawaySigningKey } from './auth.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const APP_MAIN = join(ROOT, 'dist', 'main.js');

/**
 * What the app runs with in every scenario: production mode, info logging, the run's database.
 * `extra` is the scenario's own (the tasks scenarios' APP_ROLE, TASK_CONCURRENCY, REDIS_URL);
 * `--app-env` comes last, so it can change any of them.
 * @param {{ port: number, databaseUrl: string, extra?: Record<string, string>, appEnv: Record<string, string> }} options
 * @returns {Record<string, string>}
 */
export function appEnvironment({ port, databaseUrl, extra = {}, appEnv }) {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    // All the load comes from one address. The guard still runs on every request; the limit is
    // only raised so that it never answers 429 (its storage costs the same per hit at any limit).
    THROTTLE_LIMIT: '1000000000',
    THROTTLE_TASK_SUBMIT_LIMIT: '1000000000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // Required in production; a throw-away one per run (no webhook endpoint is registered).
    WEBHOOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    // Required in production; a throw-away key per run signs the bench clients' access tokens.
    AUTH_SIGNING_KEY: throwawaySigningKey(),
    // A token is made once, before the load, and must outlive the longest run (the default is 15 min).
    AUTH_ACCESS_TOKEN_TTL_S: '86400',
    ...extra,
    ...appEnv,
  };
}

/** The few variables a Node process needs to behave normally, and none that configure the app. */
export function inherited() {
  return Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'].flatMap((name) =>
      process.env[name] === undefined ? [] : [[name, process.env[name]]],
    ),
  );
}

/**
 * Proves that production logging was really on (lines were written) and catches errors the
 * load hid (an error line per request would still let the numbers look fine).
 * @param {string} file
 */
export async function inspectLog(file) {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.split('\n').filter(Boolean);
  const errors = lines.filter((line) => {
    try {
      return JSON.parse(line).level >= 50;
    } catch {
      return false;
    }
  }).length;
  return { lines: lines.length, bytes: existsSync(file) ? statSync(file).size : 0, errors };
}

/**
 * @param {string} file
 * @param {string} label
 */
export async function printTail(file, label) {
  const text = await readFile(file, 'utf8').catch(() => '');
  const tail = text.split('\n').filter(Boolean).slice(-20);
  if (tail.length > 0) console.error(`--- last lines of the ${label} ---\n${tail.join('\n')}\n---`);
}

/**
 * The app's environment as a result file records it: no password, no secret.
 * @param {Record<string, string>} env
 */
export function environmentForTheRecord(env) {
  const masked = { ...env, DATABASE_URL: maskPassword(env.DATABASE_URL) };
  if (masked.WEBHOOK_ENCRYPTION_KEY) masked.WEBHOOK_ENCRYPTION_KEY = '***';
  if (masked.AUTH_SIGNING_KEY) masked.AUTH_SIGNING_KEY = '***';
  return masked;
}

/** @param {string} url */
function maskPassword(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
