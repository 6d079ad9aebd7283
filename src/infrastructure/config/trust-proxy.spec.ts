import { InvalidConfigError, parseEnv } from './env.schema.js';
import { fastifyTrustProxy, isProxyEntry } from './trust-proxy.js';

const trustProxy = (value: string) => parseEnv({ TRUST_PROXY: value }).TRUST_PROXY;

function problemsOf(value: string): string[] {
  try {
    parseEnv({ TRUST_PROXY: value });
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected TRUST_PROXY to be refused');
}

describe('TRUST_PROXY', () => {
  it('defaults to trusting no proxy', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(0);
    expect(trustProxy('false')).toBe(0);
    expect(trustProxy('0')).toBe(0);
  });

  it('takes a hop count, for compatibility', () => {
    expect(trustProxy('2')).toBe(2);
  });

  it('takes a list of proxy addresses, CIDR ranges and proxy-addr range names', () => {
    expect(trustProxy('10.0.0.0/8, 127.0.0.1,fd00::/8,::1,loopback')).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      'fd00::/8',
      '::1',
      'loopback',
    ]);
  });

  it.each(['10.0.0.0/33', '10.0.0/8', 'fd00::/129', 'proxy.internal', '10.0.0.1/8/8', '-1', ','])(
    'refuses %j, naming the variable and the bad entry',
    (value) => {
      const [problem] = problemsOf(value);
      expect(problem).toMatch(/^TRUST_PROXY: must be a comma-separated list of proxy addresses or CIDR ranges/);
      expect(problem).toContain(`(got ${JSON.stringify(value)})`);
    },
  );

  it('names only the bad entries of a list', () => {
    expect(problemsOf('10.0.0.0/8,10.0.0.300')[0]).toContain('not valid: 10.0.0.300 ');
  });

  it('refuses true: it would trust whatever X-Forwarded-For a client sends', () => {
    expect(problemsOf('true')[0]).toMatch(/^TRUST_PROXY: .*true would trust any X-Forwarded-For/);
  });
});

describe('isProxyEntry', () => {
  it.each([
    '192.168.1.1',
    '192.168.0.0/16',
    '0.0.0.0/0',
    '2001:db8::/32',
    '::ffff:10.0.0.1',
    'linklocal',
    'uniquelocal',
  ])('accepts %s', (entry) => expect(isProxyEntry(entry)).toBe(true));

  it.each(['', '192.168.0.0/', '192.168.0.0/x', '2001:db8::/0129', 'Loopback', '*'])('refuses %j', (entry) =>
    expect(isProxyEntry(entry)).toBe(false),
  );
});

describe('fastifyTrustProxy', () => {
  it('trusts nobody for 0, the listed proxies for a list, and that many hops for a count', () => {
    expect(fastifyTrustProxy(0)).toBe(false);
    expect(fastifyTrustProxy(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
    const hops = fastifyTrustProxy(2) as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => hops('203.0.113.1', hop))).toEqual([true, true, false]);
  });
});
