/**
 * Opaque pagination cursors. A cursor carries the sort key of the last item of a page
 * (base64url, so clients do not build them by hand and the key can change shape later);
 * `decodeCursor` returns `undefined` for anything that was not made by `encodeCursor`.
 */
export function encodeCursor(key: string): string {
  return Buffer.from(`k:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  return decoded.startsWith('k:') ? decoded.slice(2) : undefined;
}
