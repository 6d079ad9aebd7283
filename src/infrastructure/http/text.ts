import { Matches } from 'class-validator';

/** class-transformer `@Transform` for strings that are compared and stored trimmed. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Rejects control characters, U+0000 among them (PostgreSQL cannot store it in text). */
export const NoControlCharacters = () =>
  Matches(/^\P{Cc}*$/u, {
    message: ({ property }) => `${property} must not contain control characters`,
  });
