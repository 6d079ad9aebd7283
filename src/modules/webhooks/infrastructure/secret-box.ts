import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type WebhooksConfig, webhooksConfig } from '../../../infrastructure/config/webhooks.config.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DEVELOPMENT_KEY_FILE = 'encryption-key';

/**
 * Encrypts the endpoints' signing secrets at rest with AES-256-GCM under
 * WEBHOOK_ENCRYPTION_KEY: a copy of the database alone does not let anyone sign webhooks.
 * Each ciphertext is bound to its row and slot (the additional authenticated data), so a
 * ciphertext copied to another endpoint's row does not decrypt there.
 *
 * Without the key (refused in production): under NODE_ENV=test a key is made in memory; in
 * development one is made once and kept in WEBHOOK_KEY_DIR, so stored endpoints survive a restart.
 */
@Injectable()
export class SecretBox implements OnModuleInit {
  private readonly logger = new Logger('Webhooks');
  private key: Buffer | undefined;

  constructor(@Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig) {}

  async onModuleInit(): Promise<void> {
    this.key = this.config.encryptionKey ?? (await this.unconfiguredKey());
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.requireKey(), iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string, context: string): string {
    const [version, data] = sealed.split(':');
    if (version !== VERSION || !data) throw new Error('Unknown webhook secret encoding');
    const raw = Buffer.from(data, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.requireKey(), raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  private requireKey(): Buffer {
    if (!this.key) throw new Error('SecretBox used before the module was initialised');
    return this.key;
  }

  private async unconfiguredKey(): Promise<Buffer> {
    if (this.config.nodeEnv === 'production') throw new Error('WEBHOOK_ENCRYPTION_KEY is required in production');
    if (this.config.nodeEnv === 'test') return randomBytes(32);
    const file = join(this.config.keyDirectory, DEVELOPMENT_KEY_FILE);
    const stored = await readFile(file, 'utf8').catch(() => undefined);
    if (stored !== undefined) return Buffer.from(stored.trim(), 'base64');
    await mkdir(this.config.keyDirectory, { recursive: true, mode: 0o700 });
    // Written whole under a private name, then linked into place: a process starting at the
    // same moment finds either no file or a complete one, and the first link wins.
    const draft = `${file}.${process.pid}.tmp`;
    await writeFile(draft, randomBytes(32).toString('base64'), { mode: 0o600 });
    await link(draft, file).catch(() => undefined);
    await unlink(draft);
    this.logger.log(`Using the development webhook encryption key in ${file} (WEBHOOK_ENCRYPTION_KEY is unset)`);
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  }
}
