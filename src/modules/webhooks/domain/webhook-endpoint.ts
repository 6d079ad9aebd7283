import { randomBytes } from 'node:crypto';

/** A user's registered receiver of webhooks, with its signing secret(s) in clear (never stored so). */
export interface WebhookEndpoint {
  id: string;
  ownerId: string;
  url: string;
  description: string;
  /** `whsec_...`: signs every delivery. */
  secret: string;
  /** The secret before the last rotation, still signing (alongside) until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A new Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The secrets a delivery at `now` is signed with: the current one, and the previous one during its grace period. */
export function signingSecrets(endpoint: WebhookEndpoint, now: Date): string[] {
  const previousLive =
    endpoint.previousSecret !== null &&
    endpoint.previousSecretExpiresAt !== null &&
    endpoint.previousSecretExpiresAt.getTime() > now.getTime();
  return previousLive ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/** Who asks: owners reach their own endpoints, admins every one. */
export interface EndpointActor {
  userId: string;
  role: 'user' | 'admin';
}

/** The owner filter for `actor`: null (no filter) for an admin. */
export const ownerFilter = (actor: EndpointActor): string | null => (actor.role === 'admin' ? null : actor.userId);
