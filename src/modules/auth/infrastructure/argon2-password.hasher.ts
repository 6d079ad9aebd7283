import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import pLimit, { type LimitFunction } from 'p-limit';
import { type AuthConfig, authConfig } from '../../../infrastructure/config/auth.config.js';
import { normalisePassword } from '../domain/password-policy.js';

export interface PasswordCheck {
  valid: boolean;
  /** The hash was made with other parameters than the configured ones: store a new one. */
  needsRehash: boolean;
}

/**
 * argon2id through `@node-rs/argon2`: the hashing runs on libuv's thread pool, not on the
 * event loop. Parameters come from config (OWASP's minimum by default); a stored hash records
 * its own, so raising them upgrades each user at the next successful login.
 *
 * At most AUTH_HASH_CONCURRENCY hashes run at once: the thread pool also serves DNS lookups and
 * file I/O, so a burst of logins queues here instead of starving them, and memory stays at
 * concurrency x AUTH_ARGON2_MEMORY_KIB.
 */
@Injectable()
export class Argon2PasswordHasher implements OnModuleInit {
  private readonly options;
  private readonly parameters: string;
  private readonly slots: LimitFunction;
  /** Verified against when there is no user, so that an unknown email costs what a wrong password costs. */
  private dummyHash: string | undefined;

  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
    // The library's default algorithm is argon2id (its `Algorithm` is a const enum, which isolated modules cannot read).
    this.options = { ...config.argon2 };
    this.slots = pLimit(config.hashConcurrency);
    this.parameters = `m=${config.argon2.memoryCost},t=${config.argon2.timeCost},p=${config.argon2.parallelism}`;
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not a password anybody has');
  }

  hash(password: string): Promise<string> {
    return this.slots(() => hash(normalisePassword(password), this.options));
  }

  /** Hashes and verifications waiting for a slot. */
  get queued(): number {
    return this.slots.pendingCount;
  }

  async check(storedHash: string | undefined, password: string): Promise<PasswordCheck> {
    const target = storedHash ?? this.dummyHash ?? (await this.hash('not a password anybody has'));
    const valid = await this.slots(() => verify(target, normalisePassword(password))).catch(() => false);
    return { valid: valid && storedHash !== undefined, needsRehash: !target.includes(`$${this.parameters}$`) };
  }
}
