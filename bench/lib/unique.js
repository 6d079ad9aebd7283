import { randomBytes } from 'node:crypto';

/**
 * Written in a request's `body` (see `HttpRequest` in ../scenarios/index.js), this is replaced in
 * every request sent with a token no other request of the run carries: a unique email per
 * registration, for example, where a repeated one would be answered 409.
 */
export const UNIQUE = '{{unique}}';

/**
 * Tokens for one process: 16 random hex digits, then a counter (`3f9c...a1-0`, `3f9c...a1-1`, ...).
 * Each load round is a fresh process with its own random part, so tokens never repeat within a
 * run. Lower case only: the app lower-cases emails, which must not make two of them equal.
 * @returns {() => string}
 */
export function uniqueTokens() {
  const prefix = randomBytes(8).toString('hex');
  let next = 0;
  return () => `${prefix}-${(next++).toString(36)}`;
}

/**
 * @param {string} text
 * @param {string} token
 */
export function fillUnique(text, token) {
  return text.replaceAll(UNIQUE, token);
}
