import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/** 128 characters of up to 4 bytes each: nobody gets to hash megabytes. */
export const PASSWORD_MAX_BYTES = 512;

/**
 * The password rules of NIST SP 800-63B (section 3.1.1.2): length, not composition. A
 * password is 8 to 128 characters (Unicode code points, after NFKC normalisation, so the same
 * password typed on two keyboards is the same password) and at most 512 bytes of UTF-8; any
 * character may appear, spaces included; and it must not be one of the ~49,000 most common
 * passwords (the list shipped by `@zxcvbn-ts/language-common`) or the user's own email.
 */
export function passwordProblem(password: string, email: string): string | undefined {
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH || Buffer.byteLength(normalised, 'utf8') > PASSWORD_MAX_BYTES)
    return `must be at most ${PASSWORD_MAX_LENGTH} characters (${PASSWORD_MAX_BYTES} bytes)`;
  const folded = normalised.toLowerCase();
  if (commonPasswords().has(folded)) return 'is one of the most common passwords: choose another';
  const address = email.trim().toLowerCase();
  if (folded === address || folded === address.slice(0, address.lastIndexOf('@')))
    return 'must not be your email address';
  return undefined;
}

/** What is hashed and compared: NFKC, as SP 800-63B recommends. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((entry) => String(entry).toLowerCase()));
  return common;
}
