/** A step into a JSON value: a member's key, or an item's index. */
export type JsonPathSegment = string | number;

/** The field that names the whole body, when the problem is the body itself. */
export const BODY_FIELD = '(body)';

/**
 * Keys are shown up to this many characters: a path names the field, it does not carry the
 * caller's bytes back (a key may itself be the offending value).
 */
const MAX_SHOWN_KEY = 40;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The path of a field as the validation problems write it: dotted names, `[3]` for items and
 * `["a b"]` for keys that are not identifiers, escaped as JSON escapes them (`"a\u0000b"`,
 * `"\ud800"`), so that a control character or a lone surrogate never reaches the response raw.
 */
export function jsonPath(segments: readonly JsonPathSegment[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment) && segment.length <= MAX_SHOWN_KEY) path += path ? `.${segment}` : segment;
    else {
      const shown = segment.length > MAX_SHOWN_KEY ? `${segment.slice(0, MAX_SHOWN_KEY)}…` : segment;
      path += `[${JSON.stringify(shown)}]`;
    }
  }
  return path || BODY_FIELD;
}
