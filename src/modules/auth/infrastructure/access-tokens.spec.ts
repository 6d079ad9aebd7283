import { randomUUID } from 'node:crypto';
import type { AuthConfig } from '../../../infrastructure/config/auth.config.js';
import { AccessTokenRejectedError, AccessTokens } from './access-tokens.js';
import { SigningKeys } from './signing-keys.js';

const config = {
  nodeEnv: 'test',
  issuer: 'issuer',
  audience: 'audience',
  signingKey: undefined,
  verificationKeys: [],
  accessTokenTtlS: 900,
  tokenCacheSize: 2,
} as unknown as AuthConfig;

async function keys(): Promise<SigningKeys> {
  const signingKeys = new SigningKeys(config);
  await signingKeys.onModuleInit();
  return signingKeys;
}

const principal = () => ({ userId: randomUUID(), sessionId: randomUUID(), role: 'user' as const });

describe('AccessTokens', () => {
  it('verifies what it issued, back to the same principal', async () => {
    const tokens = new AccessTokens(config, await keys());
    const who = principal();

    expect(await tokens.verify(await tokens.issue(who))).toEqual(who);
  });

  it('answers a verified token from its cache, and keeps only the AUTH_TOKEN_CACHE_SIZE latest', async () => {
    const signingKeys = await keys();
    const tokens = new AccessTokens(config, signingKeys);
    const early = await tokens.issue(principal());
    await tokens.verify(early);

    // A new key (what a restart without a configured key does): only the cache still knows `early`.
    await signingKeys.onModuleInit();
    await expect(tokens.verify(early)).resolves.toBeDefined();

    for (const token of await Promise.all([principal(), principal()].map((who) => tokens.issue(who))))
      await tokens.verify(token);

    await expect(tokens.verify(early)).rejects.toMatchObject({ reason: 'unknown_key' });
  });

  it('does not answer an expired token from its cache', async () => {
    const tokens = new AccessTokens(config, await keys());
    const token = await tokens.issue(principal());
    await tokens.verify(token);

    const rejection = tokens.verify(token, Date.now() + 901_000);
    await expect(rejection).rejects.toBeInstanceOf(AccessTokenRejectedError);
    await expect(rejection).rejects.toMatchObject({ reason: 'expired' });
  });
});
