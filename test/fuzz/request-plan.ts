import fc from 'fast-check';
import {
  hostileString,
  hostileValue,
  invalidUtf8,
  jsonText,
  malformedJson,
  mutated,
  otherContentType,
  RawJson,
} from './hostile-json.js';
import type { Operation, Parameter, SchemaArbitraries } from './schema-arbitrary.js';

/** Who sends a request: a signed-in user, an admin, nobody, or a forged token. */
export type Caller = 'user' | 'admin' | 'anonymous' | { token: string };

/** Text percent-encoded as UTF-8, or characters sent as they are (an encoding no client would produce). */
export type Encoded = { text: string } | { raw: string };

/** A path value: one of those, or the id of an object of the caller's (built by the access row). */
export type WireValue = { own: 'as-is' | 'upper-case' } | Encoded;

export type Body =
  | { json: unknown; contentType?: string }
  | { text: string; contentType?: string }
  | { bytes: number[]; contentType?: string };

/** One generated request, before ids are looked up and the body is written. */
export interface GeneratedPlan {
  caller: Caller;
  params: Record<string, WireValue>;
  query: [string, Encoded][];
  headers: Record<string, string>;
  body?: Body;
}

/** The operation's access-matrix request, unchanged, as one kind of caller sends it. */
export interface RowPlan {
  row: 'anonymous' | 'owner' | 'admin';
}

export type RequestPlan = GeneratedPlan | RowPlan;

export const isRowPlan = (plan: RequestPlan): plan is RowPlan => 'row' in plan;

/** Path and query values no router or DTO should choke on. */
const RAW_SEGMENTS = [
  '%ED%A0%80',
  '%C0%AF',
  '%',
  '%zz',
  '%00',
  '..',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  Buffer.from('ü😀', 'utf8').toString('latin1'),
  '\xff\xfe',
  '?',
  '//',
  ';a=b',
  '*',
  '{id}',
  'A'.repeat(300),
];

const encoded = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<Encoded> =>
  fc.oneof(
    {
      arbitrary: valid.map((value) => ({ text: typeof value === 'string' ? value : JSON.stringify(value) })),
      weight: 3,
    },
    { arbitrary: hostileString().map((text) => ({ text })), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((raw) => ({ raw })), weight: 2 },
    {
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => ({ raw: percentEncode(bytes) })),
      weight: 1,
    },
  );

/** Header values as they go on the wire: latin1, without the controls `node:http` refuses to send. */
const headerValue = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '',
      '1',
      '2',
      '0',
      '-1',
      '1.0',
      'v1',
      '99999999999999999999',
      '9'.repeat(5_000),
      '"1"',
      '*',
      'W/"x"',
    ),
    fc.string({
      maxLength: 60,
      unit: fc
        .integer({ min: 0x20, max: 0xff })
        .filter((code) => code !== 0x7f)
        .map((code) => String.fromCharCode(code)),
    }),
  );

/**
 * A documented header's value as a client sends it: its UTF-8 bytes, the controls `node:http`
 * refuses to send (and a server cannot receive) replaced.
 */
const asHeaderValue = (value: unknown): string =>
  Buffer.from(String(value), 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

/** `value` once in `oneIn` requests, else `undefined`. */
const rarely = <T>(value: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: oneIn - 1 }, { arbitrary: value, weight: 1 });

const withoutUndefined = (record: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));

const JUNK_QUERY_KEYS = ['__proto__', 'constructor[prototype][x]', 'limit[]', 'a'.repeat(300), '', 'x'];

const caller = (usual: Caller): fc.Arbitrary<Caller> =>
  fc.oneof(
    { arbitrary: fc.constant(usual), weight: 8 },
    { arbitrary: fc.constantFrom<Caller>('admin', 'anonymous', 'user'), weight: 2 },
    {
      arbitrary: fc
        .oneof(fc.string({ maxLength: 40 }), fc.constantFrom('e30.e30.', 'a.b.c', 'x'.repeat(10_000)))
        .map((token) => ({ token })),
      weight: 1,
    },
  );

/**
 * Every kind of request to one operation: its access-matrix request (about 1 in 12), the rest
 * generated from the document. Generated ids are the caller's own objects about half the time
 * (a GET on a random id only ever proves the 404), else random UUIDs and hostile strings.
 */
export function requestPlans(
  operation: Operation,
  schemas: SchemaArbitraries,
  usual: { caller: Caller; row: RowPlan['row'] },
): fc.Arbitrary<RequestPlan> {
  const parameters = operation.parameters ?? [];
  const inWhere = (where: Parameter['in']) => parameters.filter((parameter) => parameter.in === where);
  const params = fc.record(
    Object.fromEntries(
      inWhere('path').map((parameter) => [
        parameter.name,
        fc.oneof(
          { arbitrary: fc.constantFrom<WireValue>({ own: 'as-is' }, { own: 'upper-case' }), weight: 6 },
          { arbitrary: encoded(schemas.valid(parameter.schema)), weight: 5 },
        ),
      ]),
    ),
  );
  const query = fc
    .tuple(
      fc
        .subarray(inWhere('query'))
        .chain((chosen) =>
          fc.tuple(
            ...chosen.map((parameter) =>
              encoded(schemas.valid(parameter.schema)).map((value) => [parameter.name, value] as [string, Encoded]),
            ),
          ),
        ),
      fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...JUNK_QUERY_KEYS), ...inWhere('query').map((p) => fc.constant(p.name))),
          encoded(hostileString()),
        ),
        { maxLength: 2 },
      ),
    )
    .map(([known, junk]) => [...known, ...junk]);
  const headers = fc
    .tuple(
      fc.record(
        Object.fromEntries(
          inWhere('header').map((parameter) => [
            parameter.name.toLowerCase(),
            fc.oneof(schemas.valid(parameter.schema).map(asHeaderValue), headerValue()),
          ]),
        ),
        { requiredKeys: [] },
      ),
      fc.record({
        'x-api-version': rarely(headerValue(), 3),
        accept: rarely(fc.constantFrom('application/xml', 'text/html', '*/*', 'application/json;q=0', ''), 4),
        'x-padding': rarely(fc.constant('a'.repeat(20_000)), 40),
      }),
    )
    .map(([documented, junk]) => ({ ...withoutUndefined(junk), ...documented }) as Record<string, string>);
  const schema = operation.requestBody?.content['application/json']?.schema;
  const generated: fc.Arbitrary<RequestPlan> = fc.record(
    {
      caller: caller(usual.caller),
      params,
      query,
      headers,
      body: schema ? bodies(schemas.valid(schema)) : strayBody(),
    },
    { requiredKeys: ['caller', 'params', 'query', 'headers'] },
  );
  return fc.oneof({ arbitrary: generated, weight: 11 }, { arbitrary: fc.constant<RequestPlan>(usual), weight: 1 });
}

const JSON_TYPE = 'application/json';

/** Bodies for an operation that reads one: valid, broken, malformed, mislabelled, too big, missing. */
function bodies(valid: fc.Arbitrary<unknown>): fc.Arbitrary<Body | undefined> {
  return fc.oneof(
    { arbitrary: valid.map((json) => ({ json })), weight: 5 },
    { arbitrary: mutated(valid).map((json) => ({ json })), weight: 5 },
    { arbitrary: hostileValue().map((json) => ({ json })), weight: 1 },
    { arbitrary: malformedJson(valid).map((text) => ({ text, contentType: JSON_TYPE })), weight: 2 },
    { arbitrary: fc.tuple(valid, otherContentType()).map(([json, contentType]) => ({ json, contentType })), weight: 1 },
    { arbitrary: invalidUtf8().map((bytes) => ({ bytes, contentType: JSON_TYPE })), weight: 1 },
    {
      arbitrary: fc.constant({
        json: { padding: new RawJson('1.1 MB of padding', () => `"${'a'.repeat(1_100_000)}"`) },
      }),
      weight: 1,
    },
    { arbitrary: fc.constantFrom(undefined, { text: '', contentType: JSON_TYPE }), weight: 1 },
  );
}

/** An operation without a body mostly gets none; sometimes one it must ignore or refuse. */
function strayBody(): fc.Arbitrary<Body | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 8 },
    { arbitrary: hostileValue().map((json) => ({ json })), weight: 1 },
    { arbitrary: malformedJson(fc.constant({})).map((text) => ({ text, contentType: JSON_TYPE })), weight: 1 },
    { arbitrary: otherContentType().map((contentType) => ({ text: 'a=1', contentType })), weight: 1 },
  );
}

/** The body's bytes and content type (`application/json` unless the plan says otherwise). */
export function bodyOnTheWire(body: Body): { bytes: Buffer; contentType: string } {
  const contentType = body.contentType ?? JSON_TYPE;
  if ('bytes' in body) return { bytes: Buffer.from(body.bytes), contentType };
  return { bytes: Buffer.from('json' in body ? jsonText(body.json) : body.text, 'utf8'), contentType };
}

/** `value` as it goes into a path segment or a query component. */
export function onTheWire(value: Encoded): string {
  return 'raw' in value ? value.raw : percentEncode(Buffer.from(value.text, 'utf8'));
}

function percentEncode(bytes: Uint8Array): string {
  return [...bytes]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}
