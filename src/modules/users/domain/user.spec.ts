import { UserRegisteredEvent } from './events/user-registered.event.js';
import { InvalidUserError, UserVersionMismatchError } from './user.errors.js';
import { NAME_MAX_LENGTH, User, type UserState } from './user.js';

const ID = '01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0';
const REGISTERED_AT = new Date('2024-03-01T10:00:00.000Z');
const LATER = new Date('2024-03-02T11:30:00.000Z');

const register = (overrides: Partial<{ id: string; email: string; name: string; now: Date }> = {}) =>
  User.register({ id: ID, email: 'ada@example.com', name: 'Ada Lovelace', now: REGISTERED_AT, ...overrides });

const storedState = (overrides: Partial<UserState> = {}): UserState => ({
  id: ID,
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  role: 'admin',
  createdAt: REGISTERED_AT,
  updatedAt: LATER,
  emailVerifiedAt: null,
  version: 7,
  ...overrides,
});

describe('User', () => {
  describe('register', () => {
    it('normalises the email to trimmed lower case and trims the name', () => {
      const user = register({ email: '  Ada.Lovelace@Example.COM \t', name: '  Ada Lovelace \n' });

      expect(user.email).toBe('ada.lovelace@example.com');
      expect(user.name).toBe('Ada Lovelace');
    });

    it('starts as a plain user at version 1, created and updated now', () => {
      const user = register();

      expect(user.toState()).toEqual({
        id: ID,
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        role: 'user',
        createdAt: REGISTERED_AT,
        updatedAt: REGISTERED_AT,
        emailVerifiedAt: null,
        version: 1,
      });
    });

    it('accepts names of 1 and of NAME_MAX_LENGTH characters after trimming', () => {
      expect(register({ name: ' x ' }).name).toBe('x');
      const longest = 'n'.repeat(NAME_MAX_LENGTH);
      expect(register({ name: ` ${longest} ` }).name).toBe(longest);
    });

    it.each([
      ['empty', ''],
      ['only whitespace', '   \t '],
      [`${NAME_MAX_LENGTH + 1} characters`, 'n'.repeat(NAME_MAX_LENGTH + 1)],
    ])('rejects a name that is %s', (_, name) => {
      expect(() => register({ name })).toThrow(InvalidUserError);
    });

    // PostgreSQL cannot store U+0000 in text: the aggregate must refuse it, not the INSERT.
    it('rejects a name containing U+0000', () => {
      expect(() => register({ name: 'Ada\u0000Lovelace' })).toThrow(InvalidUserError);
    });

    it.each([
      ['no @', 'ada.example.com'],
      ['no domain dot', 'ada@example'],
      ['a space inside', 'ada lovelace@example.com'],
      ['two @', 'ada@@example.com'],
      ['nothing', ''],
      ['over 254 characters', `${'a'.repeat(250)}@example.com`],
    ])('rejects an email with %s', (_, email) => {
      expect(() => register({ email })).toThrow(InvalidUserError);
    });

    it('rejects with an InvalidUserError that carries the invalid kind and code', () => {
      const error = captureError(() => register({ email: 'nope' }));

      expect(error).toBeInstanceOf(InvalidUserError);
      expect(error).toMatchObject({ kind: 'invalid', code: 'USERS.INVALID' });
    });

    it('records exactly one UserRegisteredEvent with the normalised values', () => {
      const user = register({ email: ' ADA@example.com ', name: ' Ada ' });

      const events = user.pullEvents();
      expect(events).toHaveLength(1);
      expect(events[0]).toBeInstanceOf(UserRegisteredEvent);
      expect(events[0]).toEqual(new UserRegisteredEvent(ID, 'ada@example.com', 'Ada', REGISTERED_AT));
    });

    it('hands its events over only once', () => {
      const user = register();

      expect(user.pullEvents()).toHaveLength(1);
      expect(user.pullEvents()).toEqual([]);
    });
  });

  describe('restore', () => {
    it('rebuilds the stored state as is, without running the registration rules', () => {
      const state = storedState();

      expect(User.restore(state).toState()).toEqual(state);
    });

    it('records no events', () => {
      expect(User.restore(storedState()).pullEvents()).toEqual([]);
    });

    it('does not share its state with the object it was restored from', () => {
      const state = storedState();
      const user = User.restore(state);
      state.name = 'Changed behind its back';
      state.version = 99;

      expect(user.name).toBe('Ada Lovelace');
      expect(user.version).toBe(7);
    });
  });

  describe('update', () => {
    it('returns false and keeps version and updatedAt when nothing differs', () => {
      const user = register();

      expect(user.update({}, LATER)).toBe(false);
      expect(user.update({ name: 'Ada Lovelace', email: 'ada@example.com' }, LATER)).toBe(false);
      expect(user.version).toBe(1);
      expect(user.updatedAt).toEqual(REGISTERED_AT);
    });

    it('treats values equal after normalisation as no change', () => {
      const user = register();

      expect(user.update({ email: '  ADA@Example.com ', name: ' Ada Lovelace  ' }, LATER)).toBe(false);
      expect(user.version).toBe(1);
      expect(user.updatedAt).toEqual(REGISTERED_AT);
    });

    it('applies a real change, bumps the version by one and moves updatedAt', () => {
      const user = register();

      expect(user.update({ name: '  Countess of Lovelace ' }, LATER)).toBe(true);

      expect(user.toState()).toEqual({
        id: ID,
        email: 'ada@example.com',
        name: 'Countess of Lovelace',
        role: 'user',
        createdAt: REGISTERED_AT,
        updatedAt: LATER,
        emailVerifiedAt: null,
        version: 2,
      });
    });

    it('normalises a new email and bumps the version once per change', () => {
      const user = User.restore(storedState({ version: 4 }));

      expect(user.update({ email: ' Lovelace@Example.ORG ' }, LATER)).toBe(true);
      expect(user.email).toBe('lovelace@example.org');
      expect(user.version).toBe(5);

      const evenLater = new Date(LATER.getTime() + 60_000);
      expect(user.update({ email: 'ada@example.com', name: 'Ada' }, evenLater)).toBe(true);
      expect(user.version).toBe(6);
      expect(user.updatedAt).toEqual(evenLater);
    });

    it('rejects invalid changes and leaves the user as it was', () => {
      const user = register();

      expect(() => user.update({ name: ' ' }, LATER)).toThrow(InvalidUserError);
      expect(() => user.update({ email: 'not-an-email' }, LATER)).toThrow(InvalidUserError);
      expect(() => user.update({ name: 'Valid', email: 'not-an-email' }, LATER)).toThrow(InvalidUserError);
      expect(user.toState()).toEqual(register().toState());
    });

    it('records no event', () => {
      const user = User.restore(storedState());
      user.update({ name: 'Someone else' }, LATER);

      expect(user.pullEvents()).toEqual([]);
    });
  });

  describe('assertVersion', () => {
    it('accepts no expectation and the current version', () => {
      const user = User.restore(storedState({ version: 3 }));

      expect(() => user.assertVersion(undefined)).not.toThrow();
      expect(() => user.assertVersion(3)).not.toThrow();
    });

    it.each([2, 4])('refuses version %i when the user is at 3, naming both', (expected) => {
      const user = User.restore(storedState({ version: 3 }));

      expect(() => user.assertVersion(expected)).toThrow(UserVersionMismatchError);
      expect(() => user.assertVersion(expected)).toThrow(`is at version 3, not ${expected}`);
    });
  });

  describe('toState', () => {
    it('returns a copy: changing it does not change the user', () => {
      const user = register();
      const state = user.toState();
      state.email = 'mallory@example.com';
      state.version = 42;
      state.role = 'admin';

      expect(user.email).toBe('ada@example.com');
      expect(user.version).toBe(1);
      expect(user.role).toBe('user');
      expect(user.toState()).not.toBe(user.toState());
    });
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
