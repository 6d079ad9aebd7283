import { type LookupAddress, type LookupAllOptions, type LookupOptions, lookup } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The target resolves to an address webhooks may not reach. */
export class TargetRefusedError extends Error {
  readonly code = 'WEBHOOKS.TARGET_REFUSED';

  constructor(host: string, address: string, range: string) {
    super(
      `${host} resolves to ${address} (${range}); webhooks are not sent to loopback, private, link-local or ` +
        'reserved addresses unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true',
    );
    this.name = 'TargetRefusedError';
  }
}

/** ipaddr.js's name for the range of an address; only `unicast` is the public internet. */
export function rangeOf(address: string): string {
  return ipaddr.process(address).range();
}

export function assertPublic(host: string, address: string): void {
  const range = rangeOf(address);
  if (range !== 'unicast') throw new TargetRefusedError(host, address, range);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request` that refuses non-public addresses. Checking inside the
 * connection's own DNS lookup (rather than resolving once beforehand) means the address
 * checked is the address connected to: a name that resolves to a public address for the
 * check and to 127.0.0.1 for the connection (DNS rebinding) gets nowhere.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses) => {
    if (error) return callback(error, []);
    try {
      for (const { address } of addresses) assertPublic(hostname, address);
    } catch (refused) {
      return callback(refused as NodeJS.ErrnoException, []);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/** Host of a URL as an address when it is an IP literal (`[::1]` -> `::1`), otherwise undefined. */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : undefined;
}
