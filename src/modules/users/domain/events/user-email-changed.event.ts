/** Domain event: a user's email changed, so the new address is not verified yet. */
export class UserEmailChangedEvent {
  constructor(
    readonly userId: string,
    readonly email: string,
    readonly changedAt: Date,
  ) {}
}
