import type { AuthConfig } from '../../../infrastructure/config/auth.config.js';
import { Argon2PasswordHasher } from './argon2-password.hasher.js';

const hasherWith = (argon2: { memoryCost: number; timeCost: number; parallelism: number }, hashConcurrency = 2) =>
  new Argon2PasswordHasher({ argon2, hashConcurrency } as AuthConfig);

const CHEAP = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

describe('Argon2PasswordHasher', () => {
  it('hashes with argon2id and the configured parameters, salted (two hashes of one password differ)', async () => {
    const hasher = hasherWith(CHEAP);
    const [a, b] = [await hasher.hash('correct horse'), await hasher.hash('correct horse')];

    expect(a).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(a).not.toBe(b);
  });

  it('accepts the password (in any Unicode normal form) and refuses another', async () => {
    const hasher = hasherWith(CHEAP);
    const stored = await hasher.hash('café au lait');

    expect(await hasher.check(stored, 'cafe\u0301 au lait')).toEqual({ valid: true, needsRehash: false });
    expect(await hasher.check(stored, 'cafe au lait')).toEqual({ valid: false, needsRehash: false });
  });

  it('asks for a rehash when the stored hash has other parameters than the configured ones', async () => {
    const stored = await hasherWith(CHEAP).hash('correct horse');
    const stronger = hasherWith({ memoryCost: 2048, timeCost: 2, parallelism: 1 });

    expect(await stronger.check(stored, 'correct horse')).toEqual({ valid: true, needsRehash: true });
  });

  it('never accepts when there is no stored hash (it verifies against its dummy hash instead)', async () => {
    const hasher = hasherWith(CHEAP);
    await hasher.onModuleInit();

    expect((await hasher.check(undefined, 'not a password anybody has')).valid).toBe(false);
  });

  it('runs at most AUTH_HASH_CONCURRENCY hashes at once; the others wait their turn and all finish', async () => {
    const hasher = hasherWith(CHEAP, 1);
    const running = [hasher.hash('one password'), hasher.hash('two password'), hasher.hash('three password')];

    expect(hasher.queued).toBe(2);
    expect(await Promise.all(running)).toHaveLength(3);
    expect(hasher.queued).toBe(0);
  });

  it('refuses a stored value that is not an argon2 hash, without throwing', async () => {
    expect((await hasherWith(CHEAP).check('plain text', 'plain text')).valid).toBe(false);
  });
});
