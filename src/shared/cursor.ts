import { isId } from './ids.js';

/**
 * Opaque pagination cursors. Lists are in id order, so a cursor carries the id of the last
 * item of a page (base64url, so clients do not build them by hand and the key can change
 * shape later); `decodeCursor` returns `undefined` for anything `encodeCursor` did not make.
 */
export function encodeCursor(id: string): string {
  return Buffer.from(`k:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.startsWith('k:') ? decoded.slice(2) : undefined;
  return id !== undefined && isId(id) ? id : undefined;
}

/**
 * One page of a keyset listing that fetched `limit + 1` rows: the extra row is not returned,
 * it only says that a next page exists, which then starts after the page's last id.
 */
export function keysetPage<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor?: string } {
  const items = rows.slice(0, limit);
  return rows.length > limit ? { items, nextCursor: encodeCursor(items[items.length - 1].id) } : { items };
}
