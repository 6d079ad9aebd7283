import { isEmail, Matches, ValidateBy } from 'class-validator';

/** class-transformer `@Transform` for strings that are compared and stored trimmed. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Rejects control characters, U+0000 among them (PostgreSQL cannot store it in text). */
export const NoControlCharacters = () =>
  Matches(/^\P{Cc}*$/u, {
    message: ({ property }) => `${property} must not contain control characters`,
  });

/** A UTF-16 surrogate without its pair: not text. validator's `isEmail` throws (URIError) on one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses a string with an unpaired surrogate. It is not text: encoded to UTF-8 it becomes
 * U+FFFD, so two different inputs (two passwords, say) would arrive as the same bytes.
 */
export const WellFormedText = () =>
  ValidateBy({
    name: 'isWellFormed',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !LONE_SURROGATE.test(value),
      defaultMessage: (args) => `${args?.property ?? 'value'} must be well-formed text (no unpaired surrogate)`,
    },
  });

/**
 * `@IsEmail` that refuses, rather than throws on, a string with a lone surrogate. No quoted
 * local parts (`"john doe"@example.com`): valid in RFC 5321, refused by the users aggregate.
 */
export const IsEmailAddress = (message: string) =>
  ValidateBy({
    name: 'isEmail',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && !LONE_SURROGATE.test(value) && isEmail(value, { blacklisted_chars: ' "' }),
      defaultMessage: () => message,
    },
  });
