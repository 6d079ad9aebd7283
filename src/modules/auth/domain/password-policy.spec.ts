import { PASSWORD_MAX_BYTES, PASSWORD_MAX_LENGTH, normalisePassword, passwordProblem } from './password-policy.js';

const EMAIL = 'ada.lovelace@example.com';

describe('passwordProblem (NIST SP 800-63B)', () => {
  it.each([
    ['8 characters', 'tz8#kq2w'],
    ['spaces and no composition at all', 'purple monkey dishwasher'],
    [`${PASSWORD_MAX_LENGTH} characters`, 'x'.repeat(PASSWORD_MAX_LENGTH - 8) + 'q7v2n9z1'],
    ['any script', 'пароль-для-ады-2024'],
  ])('accepts %s', (_, password) => {
    expect(passwordProblem(password, EMAIL)).toBeUndefined();
  });

  it('counts characters, not UTF-16 units: 8 emoji are 8 characters', () => {
    expect(passwordProblem('🦊🐙🦉🐢🦔🐝🦋🐞', EMAIL)).toBeUndefined();
    expect(passwordProblem('🦊🐙🦉🐢🦔🐝🦋', EMAIL)).toBe('must be at least 8 characters');
  });

  it('refuses 7 characters and 129 characters', () => {
    expect(passwordProblem('tz8#kq2', EMAIL)).toBe('must be at least 8 characters');
    expect(passwordProblem('q'.repeat(PASSWORD_MAX_LENGTH + 1), EMAIL)).toMatch(/^must be at most 128 characters/);
  });

  it(`refuses more than ${PASSWORD_MAX_BYTES} bytes however few the characters`, () => {
    // 128 characters of 4 bytes each is the most there can be; a 5th byte cannot fit in a code point,
    // so the byte limit bites on what NFKC expands: U+FDFA becomes 18 characters of Arabic (33 bytes).
    const expanding = '\uFDFA'.repeat(20);
    expect(Buffer.byteLength(normalisePassword(expanding))).toBeGreaterThan(PASSWORD_MAX_BYTES);
    expect(passwordProblem(expanding, EMAIL)).toMatch(/^must be at most/);
  });

  it.each(['password', 'PASSWORD', '12345678', 'iloveyou', 'qwertyuiop', 'Password1'])(
    'refuses the common password %s, whatever its case',
    (password) => {
      expect(passwordProblem(password, EMAIL)).toBe('is one of the most common passwords: choose another');
    },
  );

  it('refuses the email and its local part, whatever their case', () => {
    expect(passwordProblem('Ada.Lovelace@Example.com', EMAIL)).toBe('must not be your email address');
    expect(passwordProblem('ADA.LOVELACE', EMAIL)).toBe('must not be your email address');
  });

  it('judges the NFKC form: full-width letters are the same password as ASCII ones', () => {
    expect(normalisePassword('ｐａｓｓｗｏｒｄ')).toBe('password');
    expect(passwordProblem('ｐａｓｓｗｏｒｄ', EMAIL)).toBe('is one of the most common passwords: choose another');
  });
});
