import type { FieldProblems } from '../../shared/field-problems.js';
import { type JsonPathSegment, jsonPath } from './json-path.js';

/** How far an untrusted JSON body may go (JSON_MAX_* settings). */
export interface JsonLimits {
  /** Objects and arrays inside one another. */
  maxDepth: number;
  /** Members of one object, a repeated key counted each time. */
  maxKeys: number;
  /** Items of one array. */
  maxItems: number;
  /** UTF-16 code units of one string value. */
  maxStringLength: number;
  /** UTF-16 code units of one key: keys come back in paths and messages. */
  maxKeyLength: number;
}

/** A body with many bad strings is answered with the first few; the rest would only make the answer long. */
const MAX_REPORTED = 10;

const [QUOTE, BACKSLASH, COMMA] = [0x22, 0x5c, 0x2c];
const [OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY] = [0x7b, 0x7d, 0x5b, 0x5d];
const isWhitespace = (char: number) => char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09;

/** One open object or array while scanning: how many members or items it has begun, and its current key. */
interface Frame {
  array: boolean;
  count: number;
  keyStart: number;
  keyEnd: number;
}

/**
 * Checks the shape of a JSON text before it is parsed, in one pass over its characters:
 * nesting, members per object and items per array. A body past these limits then costs
 * neither the parser (a 500,000-deep array took it ~0.5 s) nor any walk after it
 * (class-transformer's copy is quadratic in the keys of one object). The text need not be
 * valid JSON: the parser judges that next.
 */
export function structureProblem(text: string, limits: JsonLimits): FieldProblems | undefined {
  const frames: Frame[] = [];
  let inString = false;
  let inKey = false;
  let expectKey = false;
  let itemPending = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index += 1;
      else if (char === QUOTE) {
        inString = false;
        if (inKey) frames[frames.length - 1].keyEnd = index;
      }
      continue;
    }
    if (isWhitespace(char)) continue;
    const top = frames[frames.length - 1] as Frame | undefined;
    if (itemPending && top && char !== CLOSE_ARRAY) {
      itemPending = false;
      top.count += 1;
      if (top.count > limits.maxItems) return problemAt(frames, 1, text, `must have at most ${limits.maxItems} items`);
    }
    if (char === QUOTE) {
      inString = true;
      inKey = expectKey;
      if (expectKey && top) {
        expectKey = false;
        top.count += 1;
        if (top.count > limits.maxKeys) return problemAt(frames, 1, text, `must have at most ${limits.maxKeys} keys`);
        top.keyStart = index + 1;
      }
    } else if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      if (frames.length >= limits.maxDepth) {
        return problemAt(frames, 0, text, `must not nest deeper than ${limits.maxDepth} levels`);
      }
      frames.push({ array: char === OPEN_ARRAY, count: 0, keyStart: 0, keyEnd: 0 });
      expectKey = char === OPEN_OBJECT;
      itemPending = char === OPEN_ARRAY;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      frames.pop();
      expectKey = itemPending = false;
    } else if (char === COMMA && top) {
      itemPending = top.array;
      expectKey = !top.array;
    }
  }
  return undefined;
}

/**
 * The problem at the current position of the open frames, less the innermost `drop` of them
 * (1 names the object or array itself rather than its current member).
 */
function problemAt(frames: Frame[], drop: number, text: string, message: string): FieldProblems {
  const segments = frames
    .slice(0, frames.length - drop)
    .map((frame): JsonPathSegment => (frame.array ? frame.count - 1 : keyText(text, frame)));
  return { field: jsonPath(segments), messages: [message] };
}

/** The key as it reads once unescaped; its raw text when cut inside an escape or otherwise unreadable. */
function keyText(text: string, frame: Frame): string {
  const raw = text.slice(frame.keyStart, Math.min(frame.keyEnd, frame.keyStart + 200));
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** A UTF-16 surrogate without its pair: with the `u` flag, a pair reads as one code point and only a lone half matches. */
const LONE_SURROGATE = /\p{Cs}/u;

function stringProblem(value: string, maxLength: number): string | undefined {
  if (value.length > maxLength) return `must be at most ${maxLength} characters long`;
  // PostgreSQL refuses both in text and jsonb: left through, they were a 500.
  if (value.includes('\u0000')) return 'must not contain U+0000 (NUL)';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed text (no unpaired surrogate)';
  return undefined;
}

/** A value met while walking, with the way back to the root, so that a path is only built for a problem. */
interface Step {
  value: unknown;
  parent: Step | undefined;
  segment: JsonPathSegment | undefined;
}

function segmentsOf(step: Step): JsonPathSegment[] {
  const segments: JsonPathSegment[] = [];
  for (let at: Step | undefined = step; at?.segment !== undefined; at = at.parent) segments.push(at.segment);
  return segments.toReversed();
}

/**
 * Checks every string of a parsed JSON value, keys included, in one pass without recursion:
 * its length, and that it holds neither U+0000 nor a lone surrogate. Up to ten problems, each
 * naming its field by its path.
 */
export function stringProblems(root: unknown, limits: JsonLimits): FieldProblems[] {
  const problems: FieldProblems[] = [];
  const report = (step: Step, message: string) =>
    problems.push({ field: jsonPath(segmentsOf(step)), messages: [message] });
  const pending: Step[] = [{ value: root, parent: undefined, segment: undefined }];
  while (pending.length > 0 && problems.length < MAX_REPORTED) {
    const step = pending.pop()!;
    const { value, segment } = step;
    const keyProblem = typeof segment === 'string' ? stringProblem(segment, limits.maxKeyLength) : undefined;
    if (keyProblem) report(step, `key ${keyProblem}`);
    else if (typeof value === 'string') {
      const problem = stringProblem(value, limits.maxStringLength);
      if (problem) report(step, problem);
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) {
        pending.push({ value: value[index], parent: step, segment: index });
      }
    } else if (value !== null && typeof value === 'object') {
      const members = Object.entries(value);
      for (let index = members.length - 1; index >= 0; index -= 1) {
        pending.push({ value: members[index][1], parent: step, segment: members[index][0] });
      }
    }
  }
  return problems;
}
