import { type JsonLimits, jsonLimitProblems, jsonLimitProblemsInSlices } from './json-limits.js';

const limits: JsonLimits = { maxDepth: 3, maxKeys: 3, maxItems: 3, maxStringLength: 5, maxKeyLength: 10 };
const check = (text: string) => jsonLimitProblems(text, limits);
const checkValue = (value: unknown) => check(JSON.stringify(value));
const problem = (field: string, message: string) => [{ field, messages: [message] }];

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const keys = (count: number) =>
  JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i])));

describe('jsonLimitProblems: shape', () => {
  it('lets a body at every limit through', () => {
    expect(check(nested(3))).toEqual([]);
    expect(check('[[[1,2,3]]]')).toEqual([]);
    expect(check(`{"a":${keys(3)},"b":[1,2,3],"c":[]}`)).toEqual([]);
    expect(check(' [ ] ')).toEqual([]);
  });

  it('names the container that nests one level too deep, objects and arrays alike', () => {
    expect(check(nested(4))).toEqual(problem('a.a.a', 'must not nest deeper than 3 levels'));
    expect(check('{"list":[0,{"b":[[1]]}]}')[0].field).toBe('list[1].b');
    expect(check('[[[[1]]]]')[0].field).toBe('[0][0][0]');
  });

  it('measures depth, not the number of brackets: siblings do not add up', () => {
    expect(checkValue(Array.from({ length: 3 }, () => [[1]]))).toEqual([]);
  });

  it('names an object with too many keys, a repeated key counted each time', () => {
    expect(check(`{"payload":{"body":${keys(4)}}}`)).toEqual(problem('payload.body', 'must have at most 3 keys'));
    expect(check('{"a":1,"a":2,"a":3,"a":4}')).toEqual(problem('(body)', 'must have at most 3 keys'));
  });

  it('names an array with too many items, empty and nested ones counted once each', () => {
    expect(check('{"a":[[],{},"x,y",4]}')).toEqual(problem('a', 'must have at most 3 items'));
  });

  it('ignores brackets, commas and quotes inside strings, escaped quotes included', () => {
    expect(checkValue({ a: '[[{{', b: ',,,,', c: '"[[["' })).toEqual([]);
  });

  it('names keys as they read, quoting and escaping those that are not identifiers', () => {
    const body = JSON.stringify({ 'a b': { 'x\n': { é: { deep: {} } } } });
    expect(check(body)[0].field).toBe('["a b"]["x\\n"]["é"]');
  });

  it('cuts a long key short in the path', () => {
    const key = 'k'.repeat(500);
    expect(check(`{"${key}":${keys(4)}}`)[0].field).toBe(`["${'k'.repeat(40)}…"]`);
  });

  it('answers a 100,000-deep array without recursion', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonLimitProblems(deep, { ...limits, maxDepth: 32 })[0].messages).toEqual([
      'must not nest deeper than 32 levels',
    ]);
  });
});

describe('jsonLimitProblems: strings', () => {
  const nul = 'must not contain U+0000 (NUL)';
  const surrogate = 'must be well-formed text (no unpaired surrogate)';

  it('finds nothing wrong in ordinary JSON, escapes and astral characters included', () => {
    expect(checkValue({ a: ['hi', null, { 'b😀': 'x😀' }], b: 't\t"q"' })).toEqual([]);
    expect(check('{"pair":"\\ud83d\\ude00","e":"\\u00e9\\n"}')).toEqual([]);
  });

  it('names a value or a key holding U+0000 by its path', () => {
    expect(checkValue({ body: { a: [0, 1, 'a\u0000b'] } })).toEqual(problem('body.a[2]', nul));
    expect(checkValue({ payload: { 'a\u0000b': 1 } })).toEqual(problem('payload["a\\u0000b"]', `key ${nul}`));
  });

  it.each([
    ['a high surrogate at the end', '"x\\ud800"'],
    ['a high surrogate before another character', '"\\ud800x"'],
    ['a high surrogate before another escape', '"\\ud800\\n"'],
    ['two high surrogates, then a low one', '"\\ud800\\ud800\\udc00"'],
    ['a low surrogate alone', '"\\udc00"'],
    ['a low surrogate before its high one', '"\\udc00\\ud800"'],
  ])('names %s', (_, value) => {
    expect(check(`{"a":${value}}`)).toEqual(problem('a', surrogate));
  });

  it('names a lone surrogate in a key, escaped in the path', () => {
    expect(check('{"\\ud800":1}')).toEqual(problem('["\\ud800"]', `key ${surrogate}`));
  });

  it('counts the length as JavaScript does: an escape is one unit, an astral character two', () => {
    expect(check('{"a":"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"}')).toEqual([]);
    expect(checkValue({ a: '😀😀😀' })).toEqual(problem('a', 'must be at most 5 characters long'));
  });

  it('bounds the length of values and of keys separately', () => {
    expect(checkValue({ abcdefghij: 'abcde' })).toEqual([]);
    expect(checkValue({ a: 'abcdef', abcdefghijk: 1 })).toEqual([
      ...problem('a', 'must be at most 5 characters long'),
      ...problem('abcdefghijk', 'key must be at most 10 characters long'),
    ]);
  });

  it('names the body itself when it is the bad string', () => {
    expect(check('"\\u0000"')).toEqual(problem('(body)', nul));
  });

  it('reports at most ten problems', () => {
    const text = JSON.stringify(Array.from({ length: 50 }, () => '\u0000'));
    expect(jsonLimitProblems(text, { ...limits, maxItems: 100 })).toHaveLength(10);
  });
});

describe('jsonLimitProblemsInSlices', () => {
  const roomy = { ...limits, maxDepth: 32, maxKeys: 100_000, maxItems: 100_000, maxStringLength: 100_000 };

  it('finds what one pass finds, in a body of many slices, strings across their edges included', async () => {
    const value = {
      list: Array.from({ length: 20_000 }, (_, i) => ({ [`key${i}`]: `value ${i} ${'x'.repeat(i % 50)}` })),
      bad: ['a\u0000', '\ud800'],
    };
    const text = JSON.stringify(value);
    expect(text.length).toBeGreaterThan(10 * 64 * 1024);
    const sliced = await jsonLimitProblemsInSlices(text, roomy);
    expect(sliced).toEqual(jsonLimitProblems(text, roomy));
    expect(sliced.map(({ field }) => field)).toEqual(['bad[0]', 'bad[1]']);
  });

  it('stops at the first broken limit of shape', async () => {
    const text = `{"a":${JSON.stringify(Array.from({ length: 200_000 }, () => 1))}}`;
    expect(await jsonLimitProblemsInSlices(text, { ...roomy, maxItems: 10 })).toEqual(
      problem('a', 'must have at most 10 items'),
    );
  });
});
