import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readMessage } from '../fakes/mail-message.js';
import { waitFor } from '../helpers/wait-for.js';

/** Requests of the auth e2e tests: JSON in, raw `Response` out (assert the status yourself). */
export function authClient(baseUrl: string) {
  const call = (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: json === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  return {
    call,
    signUp: (body: unknown) => call('POST', '/v1/auth/signup', body),
    logIn: (email: string, password: string, headers?: Record<string, string>) =>
      call('POST', '/v1/auth/login', { email, password }, headers),
    refresh: (refreshToken: string) => call('POST', '/v1/auth/refresh', { refreshToken }),
    me: (headers: Record<string, string>) => call('GET', '/v1/auth/me', undefined, headers),
  };
}

/** Environment for auth test apps: the rate limits out of the way (the login limits are the subject). */
export const AUTH_TEST_ENV = {
  THROTTLE_LIMIT: '100000',
  THROTTLE_AUTH_LIMIT: '100000',
  THROTTLE_AUTH_FAILURE_LIMIT: '100000',
  RETRY_BASE_DELAY_MS: '200',
  RETRY_MAX_DELAY_MS: '2000',
};

/** The one-time code in a mail the file mailer wrote: the line made of 43 base64url characters. */
export function codeIn(body: string): string {
  const code = /^([A-Za-z0-9_-]{43})$/m.exec(body)?.[1];
  if (!code) throw new Error(`no code in the mail:\n${body}`);
  return code;
}

/** Waits for the mail file(s) whose name starts with `prefix` and whose To is `to`; returns the newest body. */
export async function mailTo(dir: string, prefix: string, to: string, count = 1): Promise<string> {
  const found = await waitFor(
    `${count} ${prefix} mail(s) to ${to}`,
    async () => {
      const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.startsWith(prefix)).sort();
      const mails = await Promise.all(names.map(async (name) => readMessage(await readFile(join(dir, name), 'utf8'))));
      return mails.filter((mail) => mail.headers.get('to')?.includes(to));
    },
    (mails) => mails.length >= count,
    { timeoutMs: 20_000 },
  );
  return found[found.length - 1].body;
}
