import { literalAddress, specialPurposeRange } from './target-guard.js';

export const URL_MAX_LENGTH = 2048;

export interface UrlRules {
  requireHttps: boolean;
  allowPrivateTargets: boolean;
}

/**
 * What is wrong with `raw` as an endpoint URL, or nothing. Checked on registration and again
 * at every delivery (with the resolved addresses, see webhook-client.ts). A host name is not
 * resolved here: answering "this internal name resolves to a private address" at
 * registration would itself be the DNS oracle the delivery errors avoid.
 */
export function urlProblems(raw: string, rules: UrlRules): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return ['url must be an absolute http(s) URL'];
  }
  if (raw.length > URL_MAX_LENGTH) return [`url must be at most ${URL_MAX_LENGTH} characters`];
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return ['url must be an http or https URL'];
  if (rules.requireHttps && url.protocol !== 'https:') return ['url must use https'];
  if (url.username || url.password) return ['url must not carry credentials (user:password@)'];
  if (!url.hostname) return ['url must name a host'];
  if (!rules.allowPrivateTargets && refusedHost(url)) {
    return ['url must not point at a loopback, private, link-local or otherwise reserved address'];
  }
  return [];
}

function refusedHost(url: URL): boolean {
  const literal = literalAddress(url);
  if (literal) return specialPurposeRange(literal) !== undefined;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  // Names that are loopback or local by definition (RFC 6761, RFC 6762), whatever DNS says.
  return host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local');
}
