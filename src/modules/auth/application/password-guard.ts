import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock.js';
import { InvalidCredentialsError, PasswordRejectedError, TooManyLoginFailuresError } from '../domain/auth.errors.js';
import { passwordProblem } from '../domain/password-policy.js';
import { Argon2PasswordHasher } from '../infrastructure/argon2-password.hasher.js';
import { CredentialStore } from '../infrastructure/credential.store.js';
import { LoginFailureStore } from '../infrastructure/login-failure.store.js';

/** A user id no account has: the credential lookup of an unknown email, so both paths run the same queries. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

/**
 * Passwords in and out. `check` tests a password for an account, with the brute-force limits:
 * login and password change both go through it, so a stolen access token cannot guess the
 * current password faster than a login could. Unknown accounts are verified against a dummy
 * hash, so they answer in the time a wrong password takes. `hashNew` is the one way a new
 * password (sign-up, change, reset, admin bootstrap) is judged and hashed.
 */
@Injectable()
export class PasswordGuard {
  constructor(
    private readonly hasher: Argon2PasswordHasher,
    private readonly credentials: CredentialStore,
    private readonly failures: LoginFailureStore,
    private readonly clock: Clock,
  ) {}

  /** Throws `failure()` (default `InvalidCredentialsError`) unless `password` is the user's. */
  async check(
    email: string,
    userId: string | undefined,
    password: string,
    address: string,
    failure: () => Error = () => new InvalidCredentialsError(),
  ): Promise<void> {
    const now = this.clock.now();
    const blockedMs = await this.failures.blockedForMs(email, address, now);
    if (blockedMs > 0) throw new TooManyLoginFailuresError(Math.ceil(blockedMs / 1000));
    const stored = await this.credentials.findHash(userId ?? NO_USER);
    const check = await this.hasher.check(stored, password);
    if (!check.valid || userId === undefined || stored === undefined) {
      await this.failures.record(email, address, now);
      throw failure();
    }
    await this.failures.clearAccount(email);
    if (check.needsRehash) await this.credentials.upgrade(userId, stored, await this.hasher.hash(password), now);
  }

  /** The hash of a new password, once the rules allow it; `field` names it in the refusal. */
  async hashNew(password: string, email: string, field = 'password'): Promise<string> {
    const problem = passwordProblem(password, email);
    if (problem) throw new PasswordRejectedError(field, problem);
    return this.hasher.hash(password);
  }
}
