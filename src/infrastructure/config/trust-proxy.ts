import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Whom to believe about the client address: a number of proxy hops (0 = nobody, the socket's
 * peer is the client), or the addresses and CIDR ranges of the proxies themselves.
 */
export type TrustProxy = number | string[];

/** proxy-addr's names for reserved ranges, which Fastify's `trustProxy` also takes. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

const EXPECTED =
  'must be a comma-separated list of proxy addresses or CIDR ranges (for example 10.0.0.0/8,127.0.0.1 or loopback), a hop count, or false';

/** `10.0.0.1`, `10.0.0.0/8`, `fd00::/8`, `loopback`: one entry of the list. */
export function isProxyEntry(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY. A list is the safe form: only a peer in it may speak for the client, so a
 * client that reaches the app directly cannot pick its own address with `X-Forwarded-For`.
 * A hop count trusts whoever is the peer, and stays for compatibility. `true` (trust every
 * hop) is refused: the leftmost `X-Forwarded-For` entry is whatever the client wrote.
 */
export const trustProxySetting = z.string().transform((value, context): TrustProxy => {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (text.toLowerCase() === 'false') return 0;
  if (text.toLowerCase() === 'true') {
    context.addIssue({
      code: 'custom',
      message: `${EXPECTED}; true would trust any X-Forwarded-For, letting every client pick its own address`,
    });
    return z.NEVER;
  }
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const invalid = entries.filter((entry) => !isProxyEntry(entry));
  if (entries.length === 0 || invalid.length > 0) {
    context.addIssue({
      code: 'custom',
      message: invalid.length > 0 ? `${EXPECTED}; not valid: ${invalid.join(', ')}` : EXPECTED,
    });
    return z.NEVER;
  }
  return entries;
});

/**
 * Fastify's `trustProxy` option for the setting. A hop count is a function: Fastify 5 reads a
 * bare number as "trust no one" (it cannot check the immediate peer), and this setting kept
 * its older meaning.
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (Array.isArray(trust)) return trust;
  if (trust === 0) return false;
  return (_address: string, hop: number) => hop < trust;
}
