import { UserEmailChangedEvent } from '../../domain/events/user-email-changed.event.js';
import { UserRegisteredEvent } from '../../domain/events/user-registered.event.js';
import { User } from '../../domain/user.js';
import { USERS_EMAIL_CHANGED, USERS_REGISTERED } from '../../users.contracts.js';
import { integrationEventOf, pullIntegrationEvents } from './user-integration-events.js';

const ADA_ID = '01936f5e-0000-7000-8000-00000000000a';
const AT = new Date('2024-05-06T07:08:09.123Z');
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('user integration events', () => {
  it('publishes a registration as users.registered, with the contract payload and a new event id', () => {
    const event = integrationEventOf(new UserRegisteredEvent(ADA_ID, 'ada@example.com', 'Ada', AT));

    expect(USERS_REGISTERED).toBe('users.registered');
    expect(event).toEqual({
      name: 'users.registered',
      payload: {
        eventId: expect.stringMatching(UUID_V7),
        userId: ADA_ID,
        email: 'ada@example.com',
        name: 'Ada',
        registeredAt: '2024-05-06T07:08:09.123Z',
      },
    });
  });

  it('publishes an email change as users.email-changed', () => {
    const event = integrationEventOf(new UserEmailChangedEvent(ADA_ID, 'countess@example.com', AT));

    expect(event).toEqual({
      name: USERS_EMAIL_CHANGED,
      payload: {
        eventId: expect.stringMatching(UUID_V7),
        userId: ADA_ID,
        email: 'countess@example.com',
        changedAt: '2024-05-06T07:08:09.123Z',
      },
    });
  });

  it('builds payloads that survive JSON unchanged (they are stored as jsonb), each with its own event id', () => {
    const first = integrationEventOf(new UserRegisteredEvent(ADA_ID, 'ada@example.com', 'Ada', new Date(0)));
    const second = integrationEventOf(new UserRegisteredEvent(ADA_ID, 'ada@example.com', 'Ada', new Date(0)));

    expect(JSON.parse(JSON.stringify(first.payload))).toStrictEqual(first.payload);
    expect(Object.keys(first.payload).sort()).toEqual(['email', 'eventId', 'name', 'registeredAt', 'userId']);
    expect(second.payload.eventId).not.toBe(first.payload.eventId);
  });

  it("takes the user's domain events: a second pull finds none", () => {
    const user = User.register({ id: ADA_ID, email: 'ada@example.com', name: 'Ada', now: AT });

    expect(pullIntegrationEvents(user).map((event) => event.name)).toEqual([USERS_REGISTERED]);
    expect(pullIntegrationEvents(user)).toEqual([]);
  });
});
