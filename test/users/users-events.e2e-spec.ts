import { Injectable, Module } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import pg from 'pg';
import { UserProfileRepository } from '../../src/modules/users/domain/user-profile.repository.js';
import { USERS_REGISTERED, type UsersRegisteredPayload } from '../../src/modules/users/users.contracts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';
import { adminUsersApi, uniqueTag, type UsersApi, type UserV2, USERS_TEST_ENV } from './users-api.js';

/** A subscriber in another module, as a feature module would write one: it only knows the contract. */
@Injectable()
class RegistrationsCollector {
  readonly payloads: UsersRegisteredPayload[] = [];

  @OnEvent(USERS_REGISTERED)
  collect(payload: UsersRegisteredPayload): void {
    this.payloads.push(payload);
  }
}

@Module({ providers: [RegistrationsCollector] })
class RegistrationsCollectorModule {}

/** Waits until `probe` returns something other than `undefined`, and returns it. */
const eventually = async <T>(probe: () => Promise<T | undefined> | T | undefined): Promise<T> =>
  (await waitFor('the listener', probe, (value) => value !== undefined, { timeoutMs: 5_000, intervalMs: 25 })) as T;

const mentionsFailure = (line: Record<string, unknown>) => JSON.stringify(line).includes('profile store down');

interface ProfileRow {
  user_id: string;
  locale: string;
  time_zone: string;
  created_at: Date;
}

describe('users events (e2e)', () => {
  // This app must be the first one the file builds. nestjs-pino (5.2.1, dist/esm/rootLogger.js)
  // keeps ONE pino-http instance per process, created by the first app that logs: every later
  // app in the same jest module registry writes its lines, request lines included, to that first
  // app's LogDestination. So only the first app's `t.logs` is reliable.
  describe('with a profile store that fails', () => {
    let t: TestApp;
    let api: UsersApi;

    beforeAll(async () => {
      t = await createTestApp({
        env: USERS_TEST_ENV,
        override: (builder) =>
          builder.overrideProvider(UserProfileRepository).useValue({
            findByUserId: async () => null,
            createIfMissing: async () => {
              throw new Error('profile store down');
            },
          } satisfies UserProfileRepository),
      });
      ({ api } = await adminUsersApi(t));
    });
    afterAll(() => t?.close());

    const failureLines = () => t.logs.lines.filter(mentionsFailure);

    it('still answers the registration with 201 and keeps the user', async () => {
      const res = await api.post({ email: `${uniqueTag('survive')}@example.com`, name: 'Survivor' });
      expect(res.status).toBe(201);
      const user = (await res.json()) as { id: string };
      expect(res.headers.get('location')).toBe(`/v1/users/${user.id}`);
      expect((await api.get(user.id)).status).toBe(200);

      // The failure is logged against the id the server generated for the request.
      const requestId = res.headers.get('x-request-id')!;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const failure = await eventually(() => t.logs.forRequest(requestId).find(mentionsFailure));
      expect(failure).toMatchObject({ level: 50, err: { message: 'profile store down' } });
    });

    it('logs the listener failure at error level with the request id of the registration, and delivers the event again', async () => {
      const requestId = 'users-events-profile-down-0001';
      const email = `${uniqueTag('logged')}@example.com`;
      const res = await api.post({ email, name: 'Logged' }, { 'x-request-id': requestId });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-request-id')).toBe(requestId);

      // The outbox retries the delivery (with backoff) until the profile store is back.
      const ofRequest = () => failureLines().filter((line) => line.requestId === requestId);
      const lines = await eventually(() => (ofRequest().length >= 2 ? ofRequest() : undefined));
      for (const line of lines) {
        expect(line).toMatchObject({ level: 50, code: 'OUTBOX.LISTENER_FAILED', eventId: lines[0].eventId });
        expect(JSON.stringify(line)).not.toContain(email);
      }
      expect(lines.map((line) => line.attempts)).toEqual(expect.arrayContaining([1, 2]));
    });
  });

  describe('with the real listeners and a subscriber in another module', () => {
    let t: TestApp;
    let db: pg.Client;
    let collector: RegistrationsCollector;
    let api: UsersApi;

    beforeAll(async () => {
      t = await createTestApp({ env: USERS_TEST_ENV, imports: [RegistrationsCollectorModule] });
      ({ api } = await adminUsersApi(t));
      db = new pg.Client({ connectionString: t.databaseUrl });
      await db.connect();
      collector = t.app.get(RegistrationsCollector);
    });
    afterAll(async () => {
      await db?.end();
      await t?.close();
    });

    const profileOf = async (userId: string) =>
      (
        await db.query<ProfileRow>(
          'SELECT user_id, locale, time_zone, created_at FROM user_profiles WHERE user_id = $1',
          [userId],
        )
      ).rows;
    const eventsFor = (userId: string) => collector.payloads.filter((payload) => payload.userId === userId);

    it('creates the profile row with defaults after a registration', async () => {
      const user = await api.register(`${uniqueTag('profile')}@example.com`, 'Profiled');
      const rows = await eventually(async () => {
        const found = await profileOf(user.id);
        return found.length > 0 ? found : undefined;
      });
      expect(rows).toEqual([{ user_id: user.id, locale: 'en', time_zone: 'UTC', created_at: expect.any(Date) }]);
      expect(Math.abs(rows[0].created_at.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('removes the profile row with the user', async () => {
      const user = await api.register(`${uniqueTag('gone')}@example.com`, 'Gone Soon');
      await eventually(async () => ((await profileOf(user.id)).length > 0 ? true : undefined));
      const res = await api.remove(user.id);
      expect(res.status).toBe(204);
      expect(await profileOf(user.id)).toEqual([]);
    });

    it('delivers users.registered once per registration, with the contract payload', async () => {
      const tag = uniqueTag('event');
      const res = await api.post({ email: `  ${tag.toUpperCase()}@Example.COM `, name: '  Eve Event  ' });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };

      const [payload] = await eventually(() => (eventsFor(id).length > 0 ? eventsFor(id) : undefined));
      const v2 = (await (await api.getV2(id)).json()) as UserV2;
      expect(payload).toEqual({
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId: id,
        email: `${tag}@example.com`,
        name: 'Eve Event',
        registeredAt: v2.createdAt,
      });
      expect(Object.keys(payload).sort()).toEqual(['email', 'eventId', 'name', 'registeredAt', 'userId']);

      // A later registration's event has arrived, so a duplicate of this one would have too.
      const later = await api.register(`${uniqueTag('later')}@example.com`, 'Later');
      await eventually(() => (eventsFor(later.id).length > 0 ? true : undefined));
      expect(eventsFor(id)).toHaveLength(1);
      expect(eventsFor(later.id)).toHaveLength(1);
    });

    it('delivers one event to each of several registrations made at once', async () => {
      const tag = uniqueTag('many');
      const users = await Promise.all(
        Array.from({ length: 5 }, (_, index) => api.register(`${tag}-${index}@example.com`, `Many ${index}`)),
      );
      await eventually(() => (users.every((user) => eventsFor(user.id).length > 0) ? true : undefined));
      for (const user of users)
        expect(eventsFor(user.id)).toEqual([expect.objectContaining({ email: user.email, name: user.name })]);
    });

    it('delivers no event for a rejected registration (409 or 400), nor for changes and deletes', async () => {
      const email = `${uniqueTag('dup')}@example.com`;
      const first = await api.register(email, 'First');
      const duplicate = await api.post({ email: email.toUpperCase(), name: 'Second' });
      expect(duplicate.status).toBe(409);
      const invalid = await api.post({ email: `${uniqueTag('bad')}@example.com`, name: '   ' });
      expect(invalid.status).toBe(400);
      expect((await api.patch(first.id, { name: 'First Renamed' })).status).toBe(200);

      const barrier = await api.register(`${uniqueTag('barrier')}@example.com`, 'Barrier');
      await eventually(() => (eventsFor(barrier.id).length > 0 ? true : undefined));
      expect(collector.payloads.filter((payload) => payload.email === email)).toEqual([
        expect.objectContaining({ userId: first.id, name: 'First' }),
      ]);

      const before = collector.payloads.length;
      expect((await api.remove(first.id)).status).toBe(204);
      const barrier2 = await api.register(`${uniqueTag('barrier')}@example.com`, 'Barrier 2');
      await eventually(() => (eventsFor(barrier2.id).length > 0 ? true : undefined));
      expect(collector.payloads.slice(before)).toEqual([expect.objectContaining({ userId: barrier2.id })]);
    });
  });
});
