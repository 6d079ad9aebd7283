import type { UserProfile } from './user-profile.js';

/** Port: where user profiles are kept (PostgreSQL, or in memory for unit tests). */
export abstract class UserProfileRepository {
  abstract findByUserId(userId: string): Promise<UserProfile | null>;

  /**
   * Creates the profile unless the user already has one, so a redelivered event is harmless.
   * Does nothing when the user no longer exists.
   */
  abstract createIfMissing(profile: UserProfile): Promise<void>;
}
