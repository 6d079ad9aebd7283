import { setImmediate as nextTurn } from 'node:timers/promises';
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
  /** UTF-16 code units of one string value, as JavaScript counts a string's length. */
  maxStringLength: number;
  /** UTF-16 code units of one key: keys come back in paths and messages. */
  maxKeyLength: number;
}

/** A body with many bad strings is answered with the first few; the rest would only make the answer long. */
const MAX_REPORTED = 10;

const [QUOTE, BACKSLASH, COMMA, LETTER_U] = [0x22, 0x5c, 0x2c, 0x75];
const [OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY] = [0x7b, 0x7d, 0x5b, 0x5d];
const isWhitespace = (char: number) => char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09;
const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * Checks an untrusted JSON text against `limits` in one pass over its characters, before it is
 * parsed: nesting, keys per object, items per array, and every string, keys included: its
 * length, and that it holds neither U+0000 nor a lone surrogate (PostgreSQL refuses both in
 * `text` and `jsonb`). Up to ten problems, each naming its field by its path; a broken limit
 * of shape ends the scan. A body past a limit then costs neither the parser (a 500,000-deep
 * array took it ~0.2 s) nor any walk after it (class-transformer's copy is quadratic in the
 * keys of one object). The text need not be valid JSON: the parser judges that next.
 */
export function jsonLimitProblems(text: string, limits: JsonLimits): FieldProblems[] {
  const scan = new JsonScan(text, limits);
  scan.advance(text.length);
  return scan.problems;
}

/** Characters scanned in one turn of the event loop (well under a millisecond). */
const SLICE = 64 * 1024;

/**
 * `jsonLimitProblems`, a slice at a time with a turn of the event loop between slices: ten
 * 1 MB bodies arriving together would otherwise hold every other request (a liveness probe)
 * for the whole of their scans.
 */
export async function jsonLimitProblemsInSlices(text: string, limits: JsonLimits): Promise<FieldProblems[]> {
  const scan = new JsonScan(text, limits);
  while (!scan.advance(scan.position + SLICE)) await nextTurn();
  return scan.problems;
}

/** One open object or array: how many members or items it has begun, and where its current key is. */
interface Frame {
  array: boolean;
  count: number;
  keyStart: number;
  keyEnd: number;
}

class JsonScan {
  readonly problems: FieldProblems[] = [];
  /** Where the next slice starts. */
  position = 0;
  private readonly frames: Frame[] = [];
  private expectKey = false;
  private itemPending = false;
  private stopped = false;

  constructor(
    private readonly text: string,
    private readonly limits: JsonLimits,
  ) {}

  /** Scans on to `until` (a string that starts before it is read to its end); answers whether the scan is over. */
  advance(until: number): boolean {
    const { text } = this;
    const end = Math.min(until, text.length);
    let index = this.position;
    for (; index < end && !this.stopped; index += 1) {
      const char = text.charCodeAt(index);
      if (isWhitespace(char)) continue;
      if (this.itemPending && char !== CLOSE_ARRAY) {
        this.itemPending = false;
        this.count(this.limits.maxItems, 'items');
      }
      if (this.stopped) break;
      if (char === QUOTE) index = this.string(index);
      else if (char === OPEN_OBJECT || char === OPEN_ARRAY) this.open(char === OPEN_ARRAY);
      else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
        this.frames.pop();
        this.expectKey = this.itemPending = false;
      } else if (char === COMMA) {
        const top = this.top();
        this.itemPending = top?.array === true;
        this.expectKey = top?.array === false;
      }
    }
    this.position = index;
    return this.stopped || index >= text.length;
  }

  private top(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  private open(array: boolean): void {
    if (this.frames.length >= this.limits.maxDepth) {
      this.stop(0, `must not nest deeper than ${this.limits.maxDepth} levels`);
      return;
    }
    this.frames.push({ array, count: 0, keyStart: 0, keyEnd: 0 });
    this.expectKey = !array;
    this.itemPending = array;
  }

  /** One more member or item in the innermost object or array, past its limit a problem that ends the scan. */
  private count(max: number, noun: 'keys' | 'items'): void {
    const top = this.top()!;
    top.count += 1;
    if (top.count > max) this.stop(1, `must have at most ${max} ${noun}`);
  }

  /** Reads the string that starts at `start` (its opening quote) and returns where it ends (its closing quote). */
  private string(start: number): number {
    const isKey = this.expectKey;
    if (isKey) {
      this.expectKey = false;
      this.count(this.limits.maxKeys, 'keys');
      if (this.stopped) return start;
    }
    const { text } = this;
    let units = 0;
    let nul = false;
    let lone = false;
    let highPending = false;
    let index = start + 1;
    for (; index < text.length; index += 1) {
      let char = text.charCodeAt(index);
      if (char === QUOTE) break;
      units += 1;
      // Only an escape makes a lone surrogate or a U+0000: the body was decoded from UTF-8.
      if (char === BACKSLASH) {
        index += 1;
        char = text.charCodeAt(index) === LETTER_U ? Number.parseInt(text.slice(index + 1, index + 5), 16) : -1;
        if (char >= 0) index += 4;
        nul ||= char === 0;
      }
      if (highPending && !isLowSurrogate(char)) lone = true;
      if (!highPending && isLowSurrogate(char)) lone = true;
      highPending = isHighSurrogate(char);
    }
    lone ||= highPending;
    const top = this.top();
    if (isKey && top) {
      top.keyStart = start + 1;
      top.keyEnd = index;
    }
    const problem = stringProblem(units, isKey ? this.limits.maxKeyLength : this.limits.maxStringLength, nul, lone);
    if (problem) this.report(0, isKey ? `key ${problem}` : problem);
    return index;
  }

  private stop(drop: number, message: string): void {
    this.report(drop, message);
    this.stopped = true;
  }

  /**
   * A problem at the current position of the open frames, less the innermost `drop` of them
   * (1 names the object or array itself rather than its current member).
   */
  private report(drop: number, message: string): void {
    const segments = this.frames
      .slice(0, this.frames.length - drop)
      .map((frame): JsonPathSegment => (frame.array ? frame.count - 1 : this.keyOf(frame)));
    this.problems.push({ field: jsonPath(segments), messages: [message] });
    if (this.problems.length >= MAX_REPORTED) this.stopped = true;
  }

  /** The key as it reads once unescaped; its raw text when cut inside an escape or otherwise unreadable. */
  private keyOf(frame: Frame): string {
    const raw = this.text.slice(frame.keyStart, Math.min(frame.keyEnd, frame.keyStart + 200));
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  }
}

function stringProblem(units: number, maxLength: number, nul: boolean, lone: boolean): string | undefined {
  if (units > maxLength) return `must be at most ${maxLength} characters long`;
  if (nul) return 'must not contain U+0000 (NUL)';
  if (lone) return 'must be well-formed text (no unpaired surrogate)';
  return undefined;
}
