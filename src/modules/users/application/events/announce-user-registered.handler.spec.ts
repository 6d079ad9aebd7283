import type { EventEmitter2 } from '@nestjs/event-emitter';
import { UserRegisteredEvent } from '../../domain/events/user-registered.event.js';
import { USERS_REGISTERED } from '../../users.contracts.js';
import { AnnounceUserRegisteredHandler } from './announce-user-registered.handler.js';

/** Records every emit call, name and arguments. */
class RecordingEmitter {
  readonly emitted: { event: unknown; args: unknown[] }[] = [];
  emit(event: unknown, ...args: unknown[]): boolean {
    this.emitted.push({ event, args });
    return true;
  }
}

describe('AnnounceUserRegisteredHandler', () => {
  it('emits users.registered once, with the plain JSON payload of the contract', () => {
    const emitter = new RecordingEmitter();
    const handler = new AnnounceUserRegisteredHandler(emitter as unknown as EventEmitter2);
    const registeredAt = new Date('2024-05-06T07:08:09.123Z');

    handler.handle(
      new UserRegisteredEvent('01936f5e-0000-7000-8000-00000000000a', 'ada@example.com', 'Ada', registeredAt),
    );

    expect(USERS_REGISTERED).toBe('users.registered');
    expect(emitter.emitted).toEqual([
      {
        event: 'users.registered',
        args: [
          {
            userId: '01936f5e-0000-7000-8000-00000000000a',
            email: 'ada@example.com',
            name: 'Ada',
            registeredAt: '2024-05-06T07:08:09.123Z',
          },
        ],
      },
    ]);
  });

  it('emits a payload that survives JSON unchanged (no Date, no class instance)', () => {
    const emitter = new RecordingEmitter();
    const handler = new AnnounceUserRegisteredHandler(emitter as unknown as EventEmitter2);

    handler.handle(new UserRegisteredEvent('id-1', 'grace@example.com', 'Grace', new Date(0)));

    const [payload] = emitter.emitted[0].args;
    expect(JSON.parse(JSON.stringify(payload))).toStrictEqual(payload);
    expect(Object.keys(payload as object).sort()).toEqual(['email', 'name', 'registeredAt', 'userId']);
    expect((payload as { registeredAt: string }).registeredAt).toBe('1970-01-01T00:00:00.000Z');
  });
});
