import { expectProblem, expectValidationProblem } from '../helpers/problem.js';
import { ADMIN_TYPES, allTaskIds, KNOWN_TYPES, ms, type SuiteApp, USER_TYPES, flaky } from './tasks-suite-helpers.js';

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
const ok = { type: 'tasks.echo', payload: { message: 'hi' } };

/** Bad submissions: each is a 400 (or 415) naming what is wrong, and stores nothing. */
export function validationTests(s: SuiteApp): void {
  describe('POST /v1/tasks with bad input', () => {
    let before: string[];
    beforeEach(async () => {
      before = await allTaskIds(s.api);
    });
    afterEach(async () => {
      expect(await allTaskIds(s.api)).toEqual(before);
    });

    it('rejects an unknown type, naming type and listing only the types the caller may submit', async () => {
      for (const [caller, allowed] of [
        [s.api, USER_TYPES],
        [s.admin.api, ADMIN_TYPES],
      ] as const) {
        const res = await caller.submit({ type: 'tasks.nope', payload: { message: 'hi' } });
        const problem = await expectValidationProblem(res, ['type']);
        expect(problem.errors?.[0].messages).toEqual([`must be one of: ${allowed.join(', ')}`]);
        for (const type of KNOWN_TYPES.filter((known) => !allowed.includes(known)))
          expect(JSON.stringify(problem)).not.toContain(type);
        expect(problem.instance).toBe('/v1/tasks');
      }
    });

    it.each([
      ['users.send-welcome-email', { userId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' }],
      ['auth.send-password-reset', { userId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' }],
      ['auth.send-email-verification', { userId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' }],
      ['users.summarise', {}],
    ])('refuses a user the %s type exactly as an unknown one', async (type, payload) => {
      const unknown = await expectValidationProblem(await s.api.submit({ type: 'tasks.nope', payload }), ['type']);
      const refused = await expectValidationProblem(await s.api.submit({ type, payload }), ['type']);
      expect(refused.errors).toEqual(unknown.errors);
      expect(refused.detail).toBe(unknown.detail);
    });

    it('refuses an admin the application’s own types (emails) too', async () => {
      for (const type of ['users.send-welcome-email', 'auth.send-password-reset', 'auth.send-email-verification']) {
        const res = await s.admin.api.submit({ type, payload: { userId: s.other.session.userId } });
        await expectValidationProblem(res, ['type']);
      }
    });

    it.each([
      ['a missing type', { payload: { message: 'hi' } }, ['type']],
      ['a string payload', { type: 'tasks.echo', payload: 'hi' }, ['payload']],
      ['an array payload', { type: 'tasks.echo', payload: [{ message: 'hi' }] }, ['payload']],
      ['a null payload', { type: 'tasks.echo', payload: null }, ['payload']],
      ['a missing payload', { type: 'tasks.echo' }, ['payload']],
      ['a payload without its required field', { type: 'tasks.echo', payload: {} }, ['payload.message']],
      ['a payload field of the wrong type', { type: 'tasks.echo', payload: { message: 42 } }, ['payload.message']],
      [
        'an unknown payload field',
        { type: 'tasks.echo', payload: { message: 'hi', colour: 'red' } },
        ['payload.colour'],
      ],
      [
        'an out-of-range payload field',
        { type: 'tasks.echo', payload: { message: 'hi', durationMs: -1 } },
        ['payload.durationMs'],
      ],
      [
        'an echo longer than a minute',
        { type: 'tasks.echo', payload: { message: 'hi', durationMs: 60_001 } },
        ['payload.durationMs'],
      ],
      ['a payload field too long', { type: 'test.flaky', payload: { note: 'n'.repeat(101) } }, ['payload.note']],
      ['an unknown envelope field', { ...ok, priority: 'high' }, ['priority']],
      ['a negative delayMs', { ...ok, delayMs: -1 }, ['delayMs']],
      ['a delayMs over 7 days', { ...ok, delayMs: SEVEN_DAYS_MS + 1 }, ['delayMs']],
      ['a fractional delayMs', { ...ok, delayMs: 1.5 }, ['delayMs']],
      ['a delayMs as a string', { ...ok, delayMs: '100' }, ['delayMs']],
      ['maxAttempts 0', { ...ok, maxAttempts: 0 }, ['maxAttempts']],
      ['maxAttempts 11', { ...ok, maxAttempts: 11 }, ['maxAttempts']],
      ['more attempts than the type allows (test.flaky: 5)', { ...flaky(), maxAttempts: 6 }, ['maxAttempts']],
      ['maxAttempts 1.5', { ...ok, maxAttempts: 1.5 }, ['maxAttempts']],
    ])('rejects %s with a 400 naming the field', async (_case, body, fields) => {
      const res = await s.api.call('POST', '/v1/tasks', body);
      await expectValidationProblem(res, fields);
    });

    it('rejects a text/plain body with 415', async () => {
      const res = await fetch(`${s.t.url}/v1/tasks`, {
        method: 'POST',
        headers: { ...s.session.headers, 'content-type': 'text/plain' },
        body: JSON.stringify(ok),
      });
      await expectProblem(res, 415, 'HTTP.UNSUPPORTED_MEDIA_TYPE');
    });

    it('rejects a body that is not JSON with a 400 problem', async () => {
      const res = await fetch(`${s.t.url}/v1/tasks`, {
        method: 'POST',
        headers: { ...s.session.headers, 'content-type': 'application/json' },
        body: '{"type": "tasks.echo", "payload":',
      });
      await expectProblem(res, 400, 'HTTP.BAD_REQUEST');
    });
  });

  describe('POST /v1/tasks at the limits', () => {
    it('accepts delayMs 0, maxAttempts 1 and maxAttempts 10', async () => {
      const created = [
        await s.api.create({ ...ok, delayMs: 0, maxAttempts: 1 }),
        await s.api.create({ ...ok, maxAttempts: 10 }),
      ];
      expect(created.map((task) => task.maxAttempts)).toEqual([1, 10]);
      for (const task of created) await s.api.waitFor(task.id, (t) => t.status === 'succeeded', 15_000);
    });

    it('accepts a delayMs of exactly 7 days', async () => {
      const task = await s.api.create({ ...ok, delayMs: SEVEN_DAYS_MS });
      expect(task.status).toBe('queued');
      expect(ms(task.nextAttemptAt) - ms(task.createdAt)).toBeGreaterThan(SEVEN_DAYS_MS - 60_000);
      expect((await s.api.cancel(task.id)).status).toBe(200);
    });
  });
}
