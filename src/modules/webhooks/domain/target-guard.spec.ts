import {
  SPECIAL_IPV4,
  SPECIAL_IPV6,
  TargetRefusedError,
  assertPublic,
  canonicalAddress,
  literalAddress,
  specialPurposeRange,
} from './target-guard.js';

/** One sample per range of the IANA special-purpose registries (and each embedding of IPv4 in IPv6). */
const REFUSED: [address: string, range: string][] = [
  ['0.0.0.0', '0.0.0.0/8'],
  ['0.1.2.3', '0.0.0.0/8'],
  ['10.1.2.3', '10.0.0.0/8'],
  ['100.64.0.1', '100.64.0.0/10'],
  ['100.127.255.254', '100.64.0.0/10'],
  ['127.0.0.1', '127.0.0.0/8'],
  ['127.255.0.9', '127.0.0.0/8'],
  ['169.254.169.254', '169.254.0.0/16'],
  ['172.16.0.1', '172.16.0.0/12'],
  ['172.31.255.255', '172.16.0.0/12'],
  ['192.0.0.8', '192.0.0.0/24'],
  ['192.0.2.10', '192.0.2.0/24'],
  ['192.31.196.1', '192.31.196.0/24'],
  ['192.52.193.1', '192.52.193.0/24'],
  ['192.88.99.1', '192.88.99.0/24'],
  ['192.168.1.1', '192.168.0.0/16'],
  ['192.175.48.1', '192.175.48.0/24'],
  ['198.18.0.1', '198.18.0.0/15'],
  ['198.19.255.1', '198.18.0.0/15'],
  ['198.51.100.7', '198.51.100.0/24'],
  ['203.0.113.9', '203.0.113.0/24'],
  ['224.0.0.1', '224.0.0.0/4'],
  ['239.255.255.250', '224.0.0.0/4'],
  ['240.0.0.1', '240.0.0.0/4'],
  ['255.255.255.255', '240.0.0.0/4'],
  ['::', '::/128'],
  ['::1', '::1/128'],
  ['::7f00:1', '::/96'],
  ['::a00:1', '::/96'],
  // ::8.8.8.8 as URLs spell it (ipaddr.js would read the dotted form as IPv4-mapped).
  ['::808:808', '::/96'],
  ['::ffff:127.0.0.1', 'embeds 127.0.0.1: 127.0.0.0/8'],
  ['::ffff:7f00:1', 'embeds 127.0.0.1: 127.0.0.0/8'],
  ['::ffff:10.0.0.1', 'embeds 10.0.0.1: 10.0.0.0/8'],
  ['::ffff:169.254.169.254', 'embeds 169.254.169.254: 169.254.0.0/16'],
  ['64:ff9b::7f00:1', 'embeds 127.0.0.1: 127.0.0.0/8'],
  ['64:ff9b::c0a8:101', 'embeds 192.168.1.1: 192.168.0.0/16'],
  ['64:ff9b:1::1', '64:ff9b:1::/48'],
  ['100::1', '100::/64'],
  ['2001::1', '2001::/23'],
  ['2001:2::1', '2001::/23'],
  ['2001:10::1', '2001::/23'],
  ['2001:1ff:ffff::1', '2001::/23'],
  ['2001:db8::1', '2001:db8::/32'],
  ['2002:7f00:1::1', 'embeds 127.0.0.1: 127.0.0.0/8'],
  ['2002:a9fe:a9fe::1', 'embeds 169.254.169.254: 169.254.0.0/16'],
  ['2620:4f:8000::1', '2620:4f:8000::/48'],
  ['3fff::1', '3fff::/20'],
  ['5f00::1', '5f00::/16'],
  ['fc00::1', 'fc00::/7'],
  ['fd12:3456::1', 'fc00::/7'],
  ['fe80::1', 'fe80::/10'],
  ['fec0::1', 'fec0::/10'],
  ['ff02::1', 'ff00::/8'],
  ['4000::1', 'outside 2000::/3'],
];

const PUBLIC = [
  '8.8.8.8',
  '93.184.216.34',
  '1.1.1.1',
  '100.63.255.255',
  '172.32.0.1',
  '2001:4860:4860::8888',
  '2606:4700:4700::1111',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
];

describe('target guard', () => {
  it('has a sample for every range of the registries it enforces', () => {
    const sampled = new Set(REFUSED.map(([, range]) => range.replace(/^embeds [^:]+: /, '')));
    for (const [cidr] of [...SPECIAL_IPV4, ...SPECIAL_IPV6]) {
      if (cidr === '255.255.255.255/32') continue; // inside 240.0.0.0/4, which answers first
      expect({ cidr, sampled: sampled.has(cidr) }).toEqual({ cidr, sampled: true });
    }
  });

  it.each(REFUSED)('refuses %s (%s)', (address, range) => {
    expect(specialPurposeRange(address)).toEqual(expect.stringContaining(range));
    let refused: unknown;
    try {
      assertPublic('internal.example', address);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TargetRefusedError);
    expect(refused).toMatchObject({ code: 'WEBHOOKS.TARGET_REFUSED', address });
  });

  it.each(PUBLIC)('lets %s through as public', (address) => {
    expect(specialPurposeRange(address)).toBeUndefined();
    expect(() => assertPublic('example.com', address)).not.toThrow();
  });

  it('refuses [::7f00:1], the IPv4-compatible spelling of 127.0.0.1, as a URL host', () => {
    const literal = literalAddress(new URL('http://[::7f00:1]:8080/hook'));
    expect(literal).toBe('::7f00:1');
    expect(specialPurposeRange(literal!)).toMatch(/^::\/96/);
  });

  it.each([
    ['http://[::1]:8080/hook', '::1'],
    ['http://[fe80::1]/', 'fe80::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://127.0.0.1:3000/', '127.0.0.1'],
    ['http://2130706433/', '127.0.0.1'],
    ['https://10.0.0.1/', '10.0.0.1'],
  ])('literalAddress(%s) is %s', (url, address) => {
    expect(literalAddress(new URL(url))).toBe(address);
  });

  it('literalAddress is undefined for a host name', () => {
    expect(literalAddress(new URL('https://hooks.example.com/x'))).toBeUndefined();
    expect(literalAddress(new URL('http://localhost:3000/'))).toBeUndefined();
  });

  it('names every spelling of loopback, and mapped or compatible IPv4, as one circuit', () => {
    expect(['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1', '::7f00:1'].map(canonicalAddress)).toEqual(
      Array(5).fill('loopback'),
    );
    expect(canonicalAddress('::ffff:8.8.8.8')).toBe('8.8.8.8');
    expect(canonicalAddress('2001:4860:4860:0:0:0:0:8888')).toBe('[2001:4860:4860::8888]');
  });
});
