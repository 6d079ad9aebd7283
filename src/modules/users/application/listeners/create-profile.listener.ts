import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Clock } from '../../../../shared/clock.js';
import { defaultProfileFor } from '../../domain/user-profile.js';
import { UserProfileRepository } from '../../domain/user-profile.repository.js';
import { USERS_REGISTERED, type UsersRegisteredPayload } from '../../users.contracts.js';

/**
 * Creates a new user's profile with default settings. It runs after the response's work
 * is done (`async`), and if it throws, `@nestjs/event-emitter` logs the error (with the
 * request id, through the request's logger context) instead of failing the registration.
 * A missing profile is a defect to log and repair, not a reason to refuse a registration;
 * work that must not be lost goes on the queue instead (docs/patterns.md, "Event-driven").
 */
@Injectable()
export class CreateProfileListener {
  constructor(
    private readonly profiles: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  @OnEvent(USERS_REGISTERED, { async: true })
  async handle(event: UsersRegisteredPayload): Promise<void> {
    await this.profiles.createIfMissing(defaultProfileFor(event.userId, this.clock.now()));
  }
}
