/** Domain event: a user was registered. Published on the CQRS event bus after the commit. */
export class UserRegisteredEvent {
  constructor(
    readonly userId: string,
    readonly email: string,
    readonly name: string,
    readonly registeredAt: Date,
  ) {}
}
