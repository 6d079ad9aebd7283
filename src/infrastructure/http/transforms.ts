/** class-transformer `@Transform` for strings that are compared and stored trimmed. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
