import { TargetRefusedError, assertPublic, literalAddress, publicOnlyLookup, rangeOf } from './target-guard.js';

const PUBLIC = ['8.8.8.8', '93.184.216.34', '2001:4860:4860::8888', '::ffff:8.8.8.8'];

const REFUSED: [address: string, range: string][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['::1', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'linkLocal'],
  ['fe80::1', 'linkLocal'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456::1', 'uniqueLocal'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['0.0.0.0', 'unspecified'],
  ['::', 'unspecified'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
];

type LookupResult = { error: NodeJS.ErrnoException | null; address: unknown };

const lookup = (hostname: string, options: { all?: boolean } = {}) =>
  new Promise<LookupResult>((resolve) =>
    publicOnlyLookup(hostname, options, (error, address) => resolve({ error, address })),
  );

describe('target guard', () => {
  it.each(PUBLIC)('treats %s as public', (address) => {
    expect(rangeOf(address)).toBe('unicast');
    expect(() => assertPublic('example.com', address)).not.toThrow();
  });

  it.each(REFUSED)('refuses %s (%s)', (address, range) => {
    expect(rangeOf(address)).toBe(range);
    let refused: unknown;
    try {
      assertPublic('internal.example', address);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TargetRefusedError);
    expect(refused).toMatchObject({ code: 'WEBHOOKS.TARGET_REFUSED' });
    expect((refused as Error).message).toContain(`internal.example resolves to ${address} (${range})`);
  });

  it.each([{}, { all: true }])('refuses a name that resolves to loopback (localhost, options %j)', async (options) => {
    const { error, address } = await lookup('localhost', options);

    expect(error).toBeInstanceOf(TargetRefusedError);
    expect(error).toMatchObject({ code: 'WEBHOOKS.TARGET_REFUSED' });
    expect(address).toEqual([]);
  });

  it.each([
    ['http://[::1]:8080/hook', '::1'],
    ['http://[fe80::1]/', 'fe80::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://127.0.0.1:3000/', '127.0.0.1'],
    ['https://10.0.0.1/', '10.0.0.1'],
  ])('literalAddress(%s) is %s', (url, address) => {
    expect(literalAddress(new URL(url))).toBe(address);
  });

  it('literalAddress is undefined for a host name', () => {
    expect(literalAddress(new URL('https://hooks.example.com/x'))).toBeUndefined();
    expect(literalAddress(new URL('http://localhost:3000/'))).toBeUndefined();
  });
});
