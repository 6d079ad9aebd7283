import { Injectable } from '@nestjs/common';
import { OnIntegrationEvent } from '../../../../infrastructure/outbox/on-integration-event.decorator.js';
import { Clock } from '../../../../shared/clock.js';
import { defaultProfileFor } from '../../domain/user-profile.js';
import { UserProfileRepository } from '../../domain/user-profile.repository.js';
import { USERS_REGISTERED, type UsersRegisteredPayload } from '../../users.contracts.js';

/**
 * Creates a new user's profile with default settings, after the registration has answered:
 * the outbox relays the event. If it throws, the relay logs the error (with the registration's
 * request id) and delivers the event again later, with backoff, until the profile exists; the
 * registration itself is not failed for it. A delivery may repeat, so creating is idempotent.
 */
@Injectable()
export class CreateProfileListener {
  constructor(
    private readonly profiles: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  @OnIntegrationEvent(USERS_REGISTERED)
  async handle(event: UsersRegisteredPayload): Promise<void> {
    await this.profiles.createIfMissing(defaultProfileFor(event.userId, this.clock.now()));
  }
}
