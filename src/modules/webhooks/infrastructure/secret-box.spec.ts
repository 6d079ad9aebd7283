import { randomBytes } from 'node:crypto';
import type { WebhooksConfig } from '../../../infrastructure/config/webhooks.config.js';
import { SecretBox } from './secret-box.js';

/** What Node's GCM decipher says when the tag does not match (wrong key, row or slot). */
const AUTH_FAILED = 'Unsupported state or unable to authenticate data';

async function boxWith(key: Buffer): Promise<SecretBox> {
  const box = new SecretBox({ nodeEnv: 'production', encryptionKey: key } as WebhooksConfig);
  await box.onModuleInit();
  return box;
}

describe('SecretBox', () => {
  it('round-trips a secret and never stores it in clear', async () => {
    const box = await boxWith(randomBytes(32));
    const sealed = box.seal('whsec_c2VjcmV0', 'webhook-endpoint:a:current');

    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('c2VjcmV0');
    expect(box.open(sealed, 'webhook-endpoint:a:current')).toBe('whsec_c2VjcmV0');
  });

  it('refuses a ciphertext moved to another row or slot, or opened with another key', async () => {
    const key = randomBytes(32);
    const box = await boxWith(key);
    const sealed = box.seal('whsec_c2VjcmV0', 'webhook-endpoint:a:current');

    expect(() => box.open(sealed, 'webhook-endpoint:b:current')).toThrow(AUTH_FAILED);
    expect(() => box.open(sealed, 'webhook-endpoint:a:previous')).toThrow(AUTH_FAILED);
    await expect(
      boxWith(randomBytes(32)).then((other) => other.open(sealed, 'webhook-endpoint:a:current')),
    ).rejects.toThrow(AUTH_FAILED);
  });

  it('refuses to start in production without WEBHOOK_ENCRYPTION_KEY', async () => {
    const box = new SecretBox({ nodeEnv: 'production', encryptionKey: undefined } as WebhooksConfig);
    await expect(box.onModuleInit()).rejects.toThrow('WEBHOOK_ENCRYPTION_KEY is required in production');
  });
});
