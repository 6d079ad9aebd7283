import { Injectable, Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { OnIntegrationEvent } from '../../src/infrastructure/outbox/on-integration-event.decorator.js';
import { Outbox } from '../../src/infrastructure/outbox/outbox.js';
import { OutboxRelay } from '../../src/infrastructure/outbox/outbox.relay.js';
import {
  RegisterUserCommand,
  USERS_REGISTERED,
  type UsersRegisteredPayload,
} from '../../src/modules/users/users.contracts.js';
import { newId } from '../../src/shared/ids.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait-for.js';
import { adminUsersApi, uniqueTag, type UsersApi, USERS_TEST_ENV } from '../users/users-api.js';
import { OutboxDb, type OutboxRow, type TaskRow, VERIFICATION, WELCOME } from './outbox-db.js';

/** Registrations by this name fail their first delivery here, as a subscriber that is briefly down would. */
const FLAKY_NAME = 'Flaky Subscriber';

/** A subscriber in another module: it records every delivery, and fails the first one of a flaky registration. */
@Injectable()
class Deliveries {
  readonly payloads: UsersRegisteredPayload[] = [];
  private readonly failed = new Set<string>();

  @OnIntegrationEvent(USERS_REGISTERED)
  async record(payload: UsersRegisteredPayload): Promise<void> {
    this.payloads.push(payload);
    if (payload.name === FLAKY_NAME && !this.failed.has(payload.eventId)) {
      this.failed.add(payload.eventId);
      throw new Error('subscriber briefly down');
    }
  }

  of(eventId: string): UsersRegisteredPayload[] {
    return this.payloads.filter((payload) => payload.eventId === eventId);
  }
}

@Module({ providers: [Deliveries] })
class DeliveriesModule {}

/** A subscriber that holds its delivery (and so the relay's pass) until the test lets it go. */
@Injectable()
class HeldDelivery {
  readonly started: Promise<void>;
  private readonly finished: Promise<void>;
  private onStart: () => void = () => undefined;
  private onFinish: () => void = () => undefined;

  constructor() {
    this.started = new Promise((resolve) => (this.onStart = resolve));
    this.finished = new Promise((resolve) => (this.onFinish = resolve));
  }

  @OnIntegrationEvent(USERS_REGISTERED)
  record(): Promise<void> {
    this.onStart();
    return this.finished;
  }

  finish(): void {
    this.onFinish();
  }
}

@Module({ providers: [HeldDelivery] })
class HeldDeliveryModule {}

const WAIT = { timeoutMs: 15_000, intervalMs: 25 };

/** Waits until the user has exactly one `users.registered` event and it is relayed. */
async function relayedRegistration(db: OutboxDb, userId: string): Promise<OutboxRow> {
  const [row] = await waitFor(
    `the relayed users.registered event of ${userId}`,
    () => db.eventsOfUser(userId),
    (rows) => rows.length === 1 && rows[0].relayed_at !== null,
    WAIT,
  );
  return row;
}

/** Waits until the user has its welcome and verification tasks, and returns every task of the user. */
const mailTasksOf = (db: OutboxDb, userId: string): Promise<TaskRow[]> =>
  waitFor(
    `the mail tasks of ${userId}`,
    () => db.tasksOfUser(userId),
    (tasks) => [WELCOME, VERIFICATION].every((type) => tasks.some((task) => task.type === type)),
    WAIT,
  );

describe('transactional outbox (e2e)', () => {
  describe('on a running app', () => {
    let t: TestApp;
    let db: OutboxDb;
    let api: UsersApi;
    let deliveries: Deliveries;

    beforeAll(async () => {
      t = await createTestApp({ env: USERS_TEST_ENV, imports: [DeliveriesModule] });
      ({ api } = await adminUsersApi(t));
      db = await OutboxDb.connect(t.databaseUrl);
      deliveries = t.app.get(Deliveries);
    });
    afterAll(async () => {
      await db?.close();
      await t?.close();
    });

    const register = async (name = 'Ada Outbox') => {
      const res = await api.post({ email: `${uniqueTag('outbox')}@example.com`, name });
      expect(res.status).toBe(201);
      return { user: (await res.json()) as { id: string; email: string }, requestId: res.headers.get('x-request-id') };
    };

    it('stores users.registered with the user and relays it once: one welcome and one verification task, keyed on the event id', async () => {
      const { user, requestId } = await register();

      const row = await relayedRegistration(db, user.id);
      expect(row).toMatchObject({
        name: 'users.registered',
        payload: { eventId: row.id, userId: user.id, email: user.email, name: 'Ada Outbox' },
        request_id: requestId,
        attempts: 1,
        last_error: null,
      });
      expect(deliveries.of(row.id)).toEqual([row.payload]);
      expect(await mailTasksOf(db, user.id)).toEqual([
        { type: VERIFICATION, idempotency_key: `${VERIFICATION}:${row.id}`, request_id: requestId },
        { type: WELCOME, idempotency_key: `${WELCOME}:${row.id}`, request_id: requestId },
      ]);
    });

    it('delivers an event twice when its relay is not recorded, and the second delivery queues no second task', async () => {
      const { user } = await register();
      const row = await relayedRegistration(db, user.id);
      const tasks = await mailTasksOf(db, user.id);

      // As if the relay had died after the listeners ran and before it recorded the relay.
      await db.query(`UPDATE outbox_events SET relayed_at = NULL WHERE id = $1`, [row.id]);
      t.app.get(OutboxRelay).nudge();

      await waitFor(
        'the second relay',
        () => db.event(row.id),
        (again) => again?.relayed_at != null,
        WAIT,
      );
      expect(await db.event(row.id)).toMatchObject({ attempts: 2, last_error: null });
      expect(deliveries.of(row.id)).toHaveLength(2);
      expect(await db.tasksOfUser(user.id)).toEqual(tasks);
    });

    it('delivers again, with backoff, an event whose listener failed, recording a stable code; its tasks are queued once', async () => {
      const { user, requestId } = await register(FLAKY_NAME);

      const failed = await waitFor(
        'the failed first delivery',
        async () => (await db.eventsOfUser(user.id))[0],
        (row) => row?.attempts === 1,
        WAIT,
      );
      expect(failed).toMatchObject({ last_error: 'OUTBOX.LISTENER_FAILED', relayed_at: null });

      const row = await relayedRegistration(db, user.id);
      expect(row).toMatchObject({ attempts: 2, last_error: 'OUTBOX.LISTENER_FAILED' });
      expect(deliveries.of(row.id)).toHaveLength(2);
      // The other listeners ran on both deliveries: their idempotency keys kept one task each.
      const tasks = await mailTasksOf(db, user.id);
      expect(tasks.map((task) => task.type)).toEqual([VERIFICATION, WELCOME]);

      const [line] = t.logs.lines.filter((entry) => entry.eventId === row.id && entry.level === 50);
      expect(line).toMatchObject({ requestId, code: 'OUTBOX.LISTENER_FAILED', attempts: 1, err: expect.any(Object) });
      expect(JSON.stringify(line)).not.toContain(user.email);
    });

    it('stores no event when the user insert fails (a taken email)', async () => {
      const { user } = await register();
      await relayedRegistration(db, user.id);

      const duplicate = await api.post({ email: user.email.toUpperCase(), name: 'Second' });

      expect(duplicate.status).toBe(409);
      expect(await db.query(`SELECT id FROM outbox_events WHERE payload->>'email' = $1`, [user.email])).toHaveLength(1);
    });

    it('stores no user when the event insert fails', async () => {
      const email = `${uniqueTag('refused')}@example.com`;
      await db.query(
        `ALTER TABLE outbox_events ADD CONSTRAINT outbox_refuses_test CHECK (payload->>'email' <> '${email}')`,
      );
      try {
        await expect(t.app.get(CommandBus).execute(new RegisterUserCommand(email, 'Refused'))).rejects.toThrow(
          /outbox_refuses_test/,
        );
      } finally {
        await db.query(`ALTER TABLE outbox_events DROP CONSTRAINT outbox_refuses_test`);
      }
      expect(await db.query(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
    });

    it('refuses to store an event outside a transaction', async () => {
      const eventId = newId();

      await expect(t.app.get(Outbox).add([{ name: USERS_REGISTERED, payload: { eventId } }])).rejects.toThrow(
        /inside UnitOfWork.run/,
      );
      expect(await db.event(eventId)).toBeUndefined();
    });
  });

  describe('events a dead process left unrelayed', () => {
    let databaseUrl: string;
    let db: OutboxDb;
    let t: TestApp | undefined;

    beforeAll(async () => {
      databaseUrl = await createTestDatabase('outbox_left');
      // Runs the migrations, then goes away.
      await (await createTestApp({ databaseUrl, env: USERS_TEST_ENV })).close();
      db = await OutboxDb.connect(databaseUrl);
    });
    afterEach(() => t?.close());
    afterAll(() => db?.close());

    const leftBehind = async () => {
      const user = { id: newId(), eventId: newId(), email: `${uniqueTag('left')}@example.com`, name: 'Left Behind' };
      await db.insertUnrelayedRegistration(user);
      return user;
    };

    it('are relayed when an app starts (the poll is an hour away)', async () => {
      const user = await leftBehind();

      t = await createTestApp({ databaseUrl, env: { ...USERS_TEST_ENV, OUTBOX_POLL_INTERVAL_MS: '3600000' } });

      expect(await relayedRegistration(db, user.id)).toMatchObject({ id: user.eventId, attempts: 1 });
      const tasks = await mailTasksOf(db, user.id);
      expect(tasks.map((task) => task.idempotency_key)).toEqual([
        `${VERIFICATION}:${user.eventId}`,
        `${WELCOME}:${user.eventId}`,
      ]);
    });

    it('are recorded as relayed when the app closes during their delivery: the pool closes after the pass', async () => {
      const user = await leftBehind();
      const app = await createTestApp({
        databaseUrl,
        env: { ...USERS_TEST_ENV, OUTBOX_POLL_INTERVAL_MS: '3600000' },
        imports: [HeldDeliveryModule],
      });
      const held = app.app.get(HeldDelivery);
      await held.started;
      // The delivery ends when the pool starts closing (too early: the pass still has to record
      // it) or, if the pool waits for the pass as it should, after a while.
      const dataSource = app.app.get(DataSource);
      const destroy = dataSource.destroy.bind(dataSource);
      dataSource.destroy = () => {
        held.finish();
        return destroy();
      };
      const timer = setTimeout(() => held.finish(), 2000);

      await app.close();
      clearTimeout(timer);

      expect(await db.event(user.eventId)).toMatchObject({
        attempts: 1,
        relayed_at: expect.any(Date),
        last_error: null,
      });
      expect(app.logs.lines.filter((entry) => entry.context === 'Outbox')).toEqual([]);
    });

    it('are relayed by the poll of a running app that nothing nudged', async () => {
      t = await createTestApp({ databaseUrl, env: { ...USERS_TEST_ENV, OUTBOX_POLL_INTERVAL_MS: '200' } });

      const user = await leftBehind();

      expect(await relayedRegistration(db, user.id)).toMatchObject({ id: user.eventId, attempts: 1 });
      expect((await mailTasksOf(db, user.id)).map((task) => task.type)).toEqual([VERIFICATION, WELCOME]);
    });
  });
});
