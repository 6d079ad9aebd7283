import fc from 'fast-check';

/**
 * JSON the way a hostile client writes it: values a schema refuses, text no parser accepts,
 * and shapes big enough to hurt (5,000 levels deep, thousands of keys, strings past every
 * limit). Big pieces are `RawJson`: a label for fast-check's counterexample and the text
 * spliced into the body only when it is sent, so a failure report stays readable.
 */
export class RawJson {
  constructor(
    readonly label: string,
    private readonly make: () => string,
  ) {}

  text(): string {
    return this.make();
  }

  [fc.toStringMethod](): string {
    return `RawJson(${this.label})`;
  }
}

const SPLICE = /"\\u0001raw-json-(\d+)\\u0001"/g;

/**
 * `JSON.stringify`, with each `RawJson` written as its own text (a lone surrogate comes out as
 * its `\ud800` escape); a value with no JSON form (a body whose every key was removed) is no text.
 */
export function jsonText(value: unknown): string {
  const raws: RawJson[] = [];
  const text: string | undefined = JSON.stringify(value, (_key, item: unknown) =>
    item instanceof RawJson ? `\u0001raw-json-${raws.push(item) - 1}\u0001` : item,
  );
  return (text ?? '').replace(SPLICE, (_match, index: string) => raws[Number(index)].text());
}

export const deeplyNested = (depth: number, kind: 'object' | 'array'): RawJson =>
  kind === 'object'
    ? new RawJson(`${depth} nested objects`, () => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
    : new RawJson(`${depth} nested arrays`, () => `${'['.repeat(depth)}1${']'.repeat(depth)}`);

const manyKeys = (count: number): RawJson =>
  new RawJson(
    `an object of ${count} keys`,
    () => `{${Array.from({ length: count }, (_, i) => `"k${i}":${i}`).join(',')}}`,
  );

const manyItems = (count: number): RawJson =>
  new RawJson(`an array of ${count} items`, () => `[${'0,'.repeat(count - 1)}0]`);

const longString = (length: number): RawJson =>
  new RawJson(`a string of ${length} characters`, () => `"${'a'.repeat(length)}"`);

/** Strings that broke, or could break, something between the parser and PostgreSQL. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '  padded  ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\udbff\udbff',
  '\u202e\ufeff\u200b',
  '\r\n\t',
  'İﬀß',
  'e\u0301\u0301\u0301',
  '🙂'.repeat(50),
  '%00',
  '%ED%A0%80',
  '../../../etc/passwd',
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '__proto__',
  'null',
  '-0',
  '1e309',
  'a@b',
  '@',
  'ADA@EXAMPLE.COM',
  'https://127.0.0.1/',
  'http://[::1]:80/',
  'https://user:pass@example.com/',
  'javascript:alert(1)',
];

export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 40, unit: 'binary' }));

/** A JSON value of the wrong type or size for wherever it lands. */
export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      arbitrary: fc.constantFrom(null, true, false, 0, -1, 0.5, -0, 1e308, -1e308, 2 ** 53 + 2, [], {}, [[]]),
      weight: 4,
    },
    { arbitrary: hostileString(), weight: 4 },
    {
      arbitrary: fc.constantFrom(
        new RawJson('1e999', () => '1e999'),
        new RawJson('123456789012345678901234567890', () => '123456789012345678901234567890'),
        new RawJson('-0.0e-0', () => '-0.0e-0'),
      ),
      weight: 1,
    },
    {
      arbitrary: fc
        .integer({ min: 33, max: 5_000 })
        .chain((depth) => fc.constantFrom(deeplyNested(depth, 'object'), deeplyNested(depth, 'array'))),
      weight: 1,
    },
    { arbitrary: fc.integer({ min: 1_001, max: 5_000 }).map(manyKeys), weight: 1 },
    { arbitrary: fc.integer({ min: 10_001, max: 20_000 }).map(manyItems), weight: 1 },
    { arbitrary: fc.integer({ min: 100_001, max: 200_000 }).map(longString), weight: 1 },
  );

/** Keys a DTO must refuse or ignore without trouble. */
const hostileKey = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', '', '\u0000', '\ud800', 'k'.repeat(300), 'a.b', '$where'),
    fc.string({ maxLength: 12, unit: 'binary' }),
  );

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown };

const mutation = (): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue() }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: hostileKey(), value: hostileValue() }),
  );

/**
 * A schema-valid value with one to three things broken: a field of the wrong type or size, a
 * required field gone, an extra (or hostile) key. `at` picks among the value's places, so every
 * field of a body gets its turn.
 */
export const mutated = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc
    .tuple(valid, fc.array(mutation(), { minLength: 1, maxLength: 3 }))
    .map(([value, mutations]) => mutations.reduce(applyMutation, structuredClone(value)));

function applyMutation(root: unknown, change: Mutation): unknown {
  const places = placesIn(root);
  const place = places[change.at % places.length];
  if (change.kind === 'add') {
    if (isRecord(place.value)) place.value[change.key] = change.value;
    return root;
  }
  const { parent, key } = place;
  if (parent === undefined) return change.kind === 'replace' ? change.value : undefined;
  if (change.kind === 'replace') (parent as Record<string | number, unknown>)[key] = change.value;
  else if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return root;
}

interface Place {
  parent?: Record<string, unknown> | unknown[];
  key: string | number;
  value: unknown;
}

function placesIn(root: unknown): Place[] {
  const places: Place[] = [{ key: '', value: root }];
  for (let i = 0; i < places.length; i++) {
    const { value } = places[i];
    if (Array.isArray(value)) value.forEach((item, index) => places.push({ parent: value, key: index, value: item }));
    else if (isRecord(value))
      for (const [key, item] of Object.entries(value)) places.push({ parent: value, key, value: item });
  }
  return places;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawJson);

/** Texts no JSON parser should accept, or should accept only to refuse what they hold. */
const MALFORMED_JSON = [
  '',
  ' ',
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '{"a":01}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{"a":"\u0001"}',
  'NaN',
  'undefined',
  '\ufeff{}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"email":"a@example.com","email":"b@example.com"}',
];

/** Malformed JSON texts, and valid bodies cut short. */
export const malformedJson = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...MALFORMED_JSON),
    fc.integer({ min: 1_000, max: 100_000 }).map((depth) => '['.repeat(depth)),
    fc.tuple(valid, fc.nat()).map(([value, cut]) => {
      const text = jsonText(value);
      return text.slice(0, cut % Math.max(text.length, 1));
    }),
  );

/** Media types the API does not read, and spellings of JSON it may or may not. */
export const otherContentType = (): fc.Arbitrary<string> =>
  fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/octet-stream',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json;charset=UTF-8',
    'APPLICATION/JSON',
    'application/jsonx',
    'application/problem+json',
    'application/merge-patch+json',
    '*/*',
    'application/json, text/plain',
    `application/json; ${'x='.repeat(500)}`,
  );

/** Bytes that are not UTF-8: a raw (CESU-8) surrogate inside a string, UTF-16, a stray 0xFF. */
export const invalidUtf8 = (): fc.Arbitrary<number[]> =>
  fc.oneof<fc.Arbitrary<number[]>[]>(
    fc.constant([...Buffer.from('{"name":"'), 0xed, 0xa0, 0x80, ...Buffer.from('"}')]),
    fc.constant([0xff, 0xfe, ...Buffer.from('{}', 'utf16le')]),
    fc.constant([...Buffer.from('{"a":"'), 0xc0, 0xaf, ...Buffer.from('"}')]),
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }),
  );
