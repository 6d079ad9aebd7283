import { isIPv6 } from 'node:net';

/**
 * The counter key of a client address. IPv4 as it is. IPv6 by its /64 prefix: a single host is
 * commonly given a whole /64, so keying on the full address would hand it 2^64 budgets.
 */
export function addressKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const groups = hextets(ip);
  // ::ffff:a.b.c.d is an IPv4 client seen through a dual-stack socket: the same client as a.b.c.d.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff)
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The 16-bit groups of one side of `::` (a dotted IPv4 tail is two of them). */
function groupsOf(part: string | undefined): number[] {
  if (!part) return [];
  return part.split(':').flatMap((group) => {
    if (!group.includes('.')) return [parseInt(group, 16)];
    const [a, b, c, d] = group.split('.').map(Number);
    return [(a << 8) | b, (c << 8) | d];
  });
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a zone dropped). */
function hextets(ip: string): number[] {
  const [head, tail] = ip.split('%')[0].split('::');
  const left = groupsOf(head);
  if (tail === undefined) return left;
  const right = groupsOf(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
