/**
 * A user's settings, created with defaults when the user registers (by a listener of the
 * `users.registered` integration event, not by the registration itself).
 */
export interface UserProfile {
  userId: string;
  locale: string;
  timeZone: string;
  createdAt: Date;
}

export function defaultProfileFor(userId: string, now: Date): UserProfile {
  return { userId, locale: 'en', timeZone: 'UTC', createdAt: now };
}
