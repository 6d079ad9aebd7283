import { FixedClock } from '../../../../../test/fakes/fixed-clock.js';
import { InMemoryUserProfileRepository } from '../../infrastructure/in-memory-user-profile.repository.js';
import type { UsersRegisteredPayload } from '../../users.contracts.js';
import { CreateProfileListener } from './create-profile.listener.js';

const ADA_ID = '01936f5e-0000-7000-8000-00000000000a';
const GRACE_ID = '01936f5e-0000-7000-8000-00000000000b';
const GONE_ID = '01936f5e-0000-7000-8000-0000000000ff';
const FIRST = new Date('2024-05-06T07:08:09.123Z');
const SECOND = new Date('2024-05-07T00:00:00.000Z');

const registered = (userId: string): UsersRegisteredPayload => ({
  eventId: '01936f5e-0000-7000-8000-0000000000e1',
  userId,
  email: `${userId}@example.com`,
  name: 'Someone',
  registeredAt: '2024-01-01T00:00:00.000Z',
});

function setup() {
  const clock = new FixedClock(FIRST);
  const profiles = new InMemoryUserProfileRepository((userId) => userId !== GONE_ID);
  return { clock, profiles, listener: new CreateProfileListener(profiles, clock) };
}

describe('CreateProfileListener', () => {
  it('creates the default profile (en, UTC) of the registered user, created now', async () => {
    const { profiles, listener } = setup();

    await listener.handle(registered(ADA_ID));

    expect(await profiles.findByUserId(ADA_ID)).toEqual({
      userId: ADA_ID,
      locale: 'en',
      timeZone: 'UTC',
      createdAt: FIRST,
    });
  });

  it('is idempotent: a redelivered event keeps the first profile', async () => {
    const { clock, profiles, listener } = setup();
    await listener.handle(registered(ADA_ID));

    clock.at = SECOND;
    await listener.handle(registered(ADA_ID));

    expect((await profiles.findByUserId(ADA_ID))?.createdAt).toEqual(FIRST);
  });

  it('creates one profile per user', async () => {
    const { profiles, listener } = setup();

    await listener.handle(registered(ADA_ID));
    await listener.handle(registered(GRACE_ID));

    expect((await profiles.findByUserId(ADA_ID))?.userId).toBe(ADA_ID);
    expect((await profiles.findByUserId(GRACE_ID))?.userId).toBe(GRACE_ID);
  });

  it('creates nothing, and does not fail, for a user that no longer exists', async () => {
    const { profiles, listener } = setup();

    await expect(listener.handle(registered(GONE_ID))).resolves.toBeUndefined();

    expect(await profiles.findByUserId(GONE_ID)).toBeNull();
  });
});
