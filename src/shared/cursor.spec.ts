import { decodeCursor, encodeCursor } from './cursor.js';

describe('cursors', () => {
  it.each([
    ['a UUID v7', '01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0'],
    ['a UUID v4', '0f8fad5b-d9cb-469f-a165-70867728950e'],
  ])('round-trip %s', (_, id) => {
    expect(decodeCursor(encodeCursor(id))).toBe(id);
  });

  it('are URL-safe and do not show the key', () => {
    const key = '01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0';
    const cursor = encodeCursor(key);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(key);
  });

  it('differ for different ids', () => {
    expect(encodeCursor('01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0')).not.toBe(
      encodeCursor('01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f1'),
    );
  });

  it.each([
    ['empty', ''],
    ['with spaces and punctuation', 'not a cursor!'],
    ['standard base64 (+ / =)', 'ab+/cd=='],
    ['padded base64url', `${encodeCursor('01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0')}=`],
    ['over 200 characters', encodeCursor('k'.repeat(300))],
    ['made by encodeCursor from something that is not an id', encodeCursor('not-an-id')],
    ['made by encodeCursor from an empty key', encodeCursor('')],
    ['garbage in the base64url alphabet', 'zzzz-____'],
    ['base64url of a foreign value', Buffer.from('01936f5e-8a2b-7c3d-9e4f-a5b6c7d8e9f0').toString('base64url')],
    ['base64url of a near miss', Buffer.from('K:01936f5e').toString('base64url')],
  ])('decode to undefined when %s', (_, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
