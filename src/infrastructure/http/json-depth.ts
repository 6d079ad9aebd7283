/**
 * How deeply a JSON request body may nest. Far beyond any body this API takes (its deepest, a
 * webhook task's payload, is an open object the caller shapes), and far below what overflows
 * the stack of the recursive walks a body goes through (class-transformer, class-validator).
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `text` nests objects and arrays deeper than `max`, decided in one pass over its
 * characters, before anything parses or walks it. Brackets inside strings do not count; the
 * text need not be valid JSON (the parser judges that next).
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index += 1;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (char === 0x7d || char === 0x5d) depth -= 1;
  }
  return false;
}
