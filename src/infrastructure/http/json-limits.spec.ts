import { type JsonLimits, stringProblems, structureProblem } from './json-limits.js';

const limits: JsonLimits = { maxDepth: 3, maxKeys: 3, maxItems: 3, maxStringLength: 5, maxKeyLength: 10 };
const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const keys = (count: number) =>
  JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i])));

describe('structureProblem', () => {
  it('lets a body at every limit through', () => {
    expect(structureProblem(nested(3), limits)).toBeUndefined();
    expect(structureProblem('[[[1,2,3]]]', limits)).toBeUndefined();
    expect(structureProblem(`{"a":${keys(3)},"b":[1,2,3],"c":[]}`, limits)).toBeUndefined();
  });

  it('names the container that nests one level too deep, objects and arrays alike', () => {
    expect(structureProblem(nested(4), limits)).toEqual({
      field: 'a.a.a',
      messages: ['must not nest deeper than 3 levels'],
    });
    expect(structureProblem('{"list":[0,{"b":[[1]]}]}', limits)?.field).toBe('list[1].b');
    expect(structureProblem('[[[[1]]]]', limits)?.field).toBe('[0][0][0]');
  });

  it('measures depth, not the number of brackets: siblings do not add up', () => {
    expect(structureProblem(JSON.stringify(Array.from({ length: 3 }, () => [[1]])), limits)).toBeUndefined();
  });

  it('names an object with too many keys, repeated keys counted each time', () => {
    expect(structureProblem(`{"payload":{"body":${keys(4)}}}`, limits)).toEqual({
      field: 'payload.body',
      messages: ['must have at most 3 keys'],
    });
    expect(structureProblem('{"a":1,"a":2,"a":3,"a":4}', limits)?.field).toBe('(body)');
  });

  it('names an array with too many items, empty ones and nested ones counted once each', () => {
    expect(structureProblem('{"a":[[],{},"x,y",4]}', limits)).toEqual({
      field: 'a',
      messages: ['must have at most 3 items'],
    });
    expect(structureProblem('[ ]', limits)).toBeUndefined();
  });

  it('ignores brackets, commas and quotes inside strings, escaped quotes included', () => {
    expect(structureProblem(JSON.stringify({ a: '[[[[{{{{,,,,' }), limits)).toBeUndefined();
    expect(structureProblem(JSON.stringify({ a: 'say \\"[[[[\\" and "{{{{"' }), limits)).toBeUndefined();
  });

  it('names keys as they read, quoting and escaping those that are not identifiers', () => {
    const body = JSON.stringify({ 'a b': { 'x\u0000': { 'é\ud800': { deep: {} } } } });
    expect(structureProblem(body, limits)?.field).toBe('["a b"]["x\\u0000"]["é\\ud800"]');
  });

  it('cuts a long key short in the path', () => {
    const key = 'k'.repeat(500);
    expect(structureProblem(`{"${key}":${keys(4)}}`, limits)?.field).toBe(`["${'k'.repeat(40)}…"]`);
  });

  it('answers a 100,000-deep array without recursion', () => {
    const problem = structureProblem('['.repeat(100_000) + ']'.repeat(100_000), { ...limits, maxDepth: 32 });
    expect(problem?.messages).toEqual(['must not nest deeper than 32 levels']);
  });
});

describe('stringProblems', () => {
  it('finds nothing wrong in ordinary JSON, astral characters (surrogate pairs) included', () => {
    expect(stringProblems({ a: ['hi', 1, null, true, { 'b😀': 'x😀' }] }, limits)).toEqual([]);
  });

  it('names a value or a key holding U+0000 by its path', () => {
    expect(stringProblems({ payload: { body: { a: [0, 1, 2, 'a\u0000b'] } } }, limits)).toEqual([
      { field: 'payload.body.a[3]', messages: ['must not contain U+0000 (NUL)'] },
    ]);
    expect(stringProblems({ payload: { 'a\u0000b': 1 } }, limits)).toEqual([
      { field: 'payload["a\\u0000b"]', messages: ['key must not contain U+0000 (NUL)'] },
    ]);
  });

  it('names a lone surrogate, high or low, in a value or a key', () => {
    const surrogate = 'must be well-formed text (no unpaired surrogate)';
    expect(stringProblems({ a: '\ud800' }, limits)).toEqual([{ field: 'a', messages: [surrogate] }]);
    expect(stringProblems({ a: 'x\udc00' }, limits)).toEqual([{ field: 'a', messages: [surrogate] }]);
    expect(stringProblems({ '\ud800': 1 }, limits)).toEqual([{ field: '["\\ud800"]', messages: [`key ${surrogate}`] }]);
  });

  it('bounds the length of values and of keys separately', () => {
    expect(stringProblems({ abcdefghij: 'abcde' }, limits)).toEqual([]);
    expect(stringProblems({ a: 'abcdef', abcdefghijk: 1 }, limits)).toEqual([
      { field: 'a', messages: ['must be at most 5 characters long'] },
      { field: 'abcdefghijk', messages: ['key must be at most 10 characters long'] },
    ]);
  });

  it('names the body itself when it is the bad string', () => {
    expect(stringProblems('\u0000', limits)).toEqual([
      { field: '(body)', messages: ['must not contain U+0000 (NUL)'] },
    ]);
  });

  it('reports at most ten problems', () => {
    expect(
      stringProblems(
        Array.from({ length: 50 }, () => '\u0000'),
        limits,
      ),
    ).toHaveLength(10);
  });
});
