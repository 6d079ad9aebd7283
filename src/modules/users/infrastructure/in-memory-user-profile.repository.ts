import type { UserProfile } from '../domain/user-profile.js';
import { UserProfileRepository } from '../domain/user-profile.repository.js';

/** For unit tests. It knows no users: `userExists` stands in for the check against the users table. */
export class InMemoryUserProfileRepository extends UserProfileRepository {
  private readonly profiles = new Map<string, UserProfile>();

  constructor(private readonly userExists: (userId: string) => boolean = () => true) {
    super();
  }

  async findByUserId(userId: string): Promise<UserProfile | null> {
    return this.profiles.get(userId) ?? null;
  }

  async createIfMissing(profile: UserProfile): Promise<void> {
    if (this.userExists(profile.userId) && !this.profiles.has(profile.userId))
      this.profiles.set(profile.userId, { ...profile });
  }
}
