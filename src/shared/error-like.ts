/**
 * Shaped like an error, wherever it was made: socket errors come from Node's own realm, where
 * `instanceof Error` of another realm (a test's VM context) is false.
 */
export function isErrorLike(value: unknown): value is { name: string; message: string; code?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}
