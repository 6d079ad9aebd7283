import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The target is not one webhooks may reach. The message is the detail for the log; callers
 * of the API only ever see the code (see deliver-webhook.task.ts).
 */
export class TargetRefusedError extends Error {
  readonly code = 'WEBHOOKS.TARGET_REFUSED';

  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`${host} resolves to ${address} (${range})`);
    this.name = 'TargetRefusedError';
  }
}

type Range = [cidr: string, name: string];

/** IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates), plus multicast and 240/4. */
export const SPECIAL_IPV4: Range[] = [
  ['0.0.0.0/8', 'this network'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared address space (CGN)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation (TEST-NET-1)'],
  ['192.31.196.0/24', 'AS112-v4'],
  ['192.52.193.0/24', 'AMT'],
  ['192.88.99.0/24', 'deprecated 6to4 relay anycast'],
  ['192.168.0.0/16', 'private'],
  ['192.175.48.0/24', 'direct delegation AS112'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation (TEST-NET-2)'],
  ['203.0.113.0/24', 'documentation (TEST-NET-3)'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['255.255.255.255/32', 'limited broadcast'],
];

/**
 * IANA IPv6 Special-Purpose Address Registry. `::ffff:0:0/96` (IPv4-mapped), `64:ff9b::/96`
 * (NAT64) and `2002::/16` (6to4) carry an IPv4 address, which decides instead (see below).
 */
export const SPECIAL_IPV6: Range[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'IPv4-compatible (deprecated)'],
  ['64:ff9b:1::/48', 'local-use NAT64'],
  ['100::/64', 'discard-only'],
  ['2001::/23', 'IETF protocol assignments (Teredo, ORCHID, benchmarking...)'],
  ['2001:db8::/32', 'documentation'],
  ['2620:4f:8000::/48', 'direct delegation AS112'],
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'segment routing SIDs'],
  ['fc00::/7', 'unique local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['ff00::/8', 'multicast'],
];

const parsed = (ranges: Range[]) => ranges.map(([cidr, name]) => ({ cidr, name, range: ipaddr.parseCIDR(cidr) }));
const IPV4 = parsed(SPECIAL_IPV4);
const IPV6 = parsed(SPECIAL_IPV6);
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const MAPPED_V4 = ipaddr.parseCIDR('::ffff:0:0/96');
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.parseCIDR('2002::/16');

function v4FromBytes(bytes: number[]): ipaddr.IPv4 {
  return new ipaddr.IPv4(bytes as [number, number, number, number]);
}

/**
 * Why `address` may not be a webhook target (`127.0.0.0/8 loopback`), or undefined when it is
 * a public unicast address. Addresses that embed an IPv4 address (mapped, NAT64, 6to4) are
 * judged by that address; IPv6 outside 2000::/3 (global unicast) is refused whatever the
 * registry says today, since nothing public lives there.
 */
export function specialPurposeRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') {
    const v4 = ip as ipaddr.IPv4;
    const hit = IPV4.find(({ range }) => v4.match(range as [ipaddr.IPv4, number]));
    return hit && `${hit.cidr} ${hit.name}`;
  }
  const v6 = ip as ipaddr.IPv6;
  const bytes = v6.toByteArray();
  if (v6.match(MAPPED_V4) || v6.match(NAT64)) return embedded(v4FromBytes(bytes.slice(12)));
  if (v6.match(SIX_TO_FOUR)) return embedded(v4FromBytes(bytes.slice(2, 6)));
  const hit = IPV6.find(({ range }) => v6.match(range as [ipaddr.IPv6, number]));
  if (hit) return `${hit.cidr} ${hit.name}`;
  return v6.match(GLOBAL_UNICAST_V6) ? undefined : 'outside 2000::/3 (not global unicast)';
}

function embedded(v4: ipaddr.IPv4): string | undefined {
  const range = specialPurposeRange(v4.toString());
  return range && `embeds ${v4.toString()}: ${range}`;
}

export function assertPublic(host: string, address: string): void {
  const range = specialPurposeRange(address);
  if (range) throw new TargetRefusedError(host, address, range);
}

/** Host of a URL as an address when it is an IP literal (`[::1]` -> `::1`), otherwise undefined. */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : undefined;
}

/**
 * One name per place an address reaches, for the circuit breaker: IPv4-mapped and
 * IPv4-compatible IPv6 addresses are their IPv4 address, and every loopback address
 * (127.0.0.0/8, ::1) is `loopback`, so `127.0.0.1`, `localhost`, `[::1]` and
 * `[::ffff:127.0.0.1]` are one target.
 */
export function canonicalAddress(address: string): string {
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    const bytes = v6.toByteArray();
    const compatible = bytes.slice(0, 12).every((byte) => byte === 0) && !v6.match(ipaddr.parseCIDR('::/127'));
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else if (compatible) ip = v4FromBytes(bytes.slice(12));
  }
  if (ip.range() === 'loopback') return 'loopback';
  return ip.kind() === 'ipv6' ? `[${ip.toString()}]` : ip.toString();
}
