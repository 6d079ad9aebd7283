import fc from 'fast-check';

/**
 * JSON Schema (the OpenAPI 3.0 subset `/docs-json` uses) to fast-check arbitraries of values
 * that the schema accepts. A keyword this file does not know throws, naming the keyword and
 * where it is: the fuzzer must not quietly generate bodies that ignore a constraint the
 * document grew.
 */
export interface Schema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  example?: unknown;
  [keyword: string]: unknown;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  'x-access-policy'?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
}

/** Keywords that say nothing about which values are valid. */
const ANNOTATIONS = new Set(['description', 'example', 'examples', 'default', 'title', 'discriminator', 'deprecated']);
const CONSTRAINTS = new Set([
  '$ref',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'oneOf',
  'anyOf',
  'allOf',
  'nullable',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'format',
]);
const FORMATS: Record<string, () => fc.Arbitrary<string>> = {
  uuid: () => fc.uuid(),
  email: () => fc.emailAddress(),
  uri: () => fc.webUrl(),
  'date-time': () => fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  password: () =>
    fc
      .tuple(fc.stringMatching(/^[a-z]{4,12}$/), fc.string({ minLength: 8, maxLength: 20, unit: 'grapheme' }))
      .map(([word, noise]) => `${word} ${noise} staple`),
};

/** Any JSON value, kept small: what an open `{}` schema or an open object's values get. */
export const anyJson = (): fc.Arbitrary<unknown> => fc.jsonValue({ maxDepth: 3, depthSize: 'small' });

export class SchemaArbitraries {
  constructor(private readonly document: OpenApiDocument) {}

  /** Follows `$ref`s and merges `allOf`, so every other function sees one plain schema. */
  resolve(schema: Schema, at = '#'): Schema {
    if (schema.$ref) {
      const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
      const target = name === undefined ? undefined : this.document.components.schemas[name];
      if (!target) throw new Error(`${at}: cannot resolve $ref ${schema.$ref}`);
      const { $ref: _ref, ...siblings } = schema;
      return this.resolve({ ...target, ...siblings }, schema.$ref);
    }
    if (schema.allOf) {
      const { allOf, ...rest } = schema;
      return allOf.map((part, index) => this.resolve(part, `${at}/allOf/${index}`)).reduce(merge, rest);
    }
    return schema;
  }

  /** Values the schema accepts. */
  valid(schema: Schema, at = '#'): fc.Arbitrary<unknown> {
    const resolved = this.resolve(schema, at);
    for (const keyword of Object.keys(resolved))
      if (!CONSTRAINTS.has(keyword) && !ANNOTATIONS.has(keyword) && !keyword.startsWith('x-'))
        throw new Error(`${at}: the fuzzer does not know the JSON Schema keyword "${keyword}"`);
    if (resolved.format !== undefined && !(resolved.format in FORMATS))
      throw new Error(`${at}: the fuzzer does not know the format "${resolved.format}"`);
    const value = this.nonNull(resolved, at);
    return resolved.nullable ? fc.option(value, { nil: null, freq: 8 }) : value;
  }

  private nonNull(schema: Schema, at: string): fc.Arbitrary<unknown> {
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives) return fc.oneof(...alternatives.map((part, index) => this.valid(part, `${at}/oneOf/${index}`)));
    switch (schema.type) {
      case 'object':
        return this.object(schema, at);
      case 'array':
        return fc.array(schema.items ? this.valid(schema.items, `${at}/items`) : anyJson(), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 5, (schema.minItems ?? 0) + 5),
        });
      case 'string':
        return stringOf(schema);
      case 'number':
        return numberOf(schema);
      case 'integer':
        return fc.integer({
          min: Math.ceil(schema.minimum ?? -1_000_000),
          max: Math.floor(schema.maximum ?? 1_000_000),
        });
      case 'boolean':
        return fc.boolean();
      case undefined:
        if (!schema.properties) return anyJson();
        return this.object(schema, at);
      default:
        throw new Error(`${at}: the fuzzer does not know the type "${String(schema.type)}"`);
    }
  }

  private object(schema: Schema, at: string): fc.Arbitrary<Record<string, unknown>> {
    const properties = schema.properties ?? {};
    const known = fc.record(
      Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [name, this.valid(property, `${at}/properties/${name}`)]),
      ),
      { requiredKeys: (schema.required ?? []).filter((name) => name in properties) },
    );
    // An open object (`{"type":"object"}` alone, or `additionalProperties: true`) takes any keys.
    const open = schema.additionalProperties === true || Object.keys(properties).length === 0;
    if (!open) return known;
    return fc
      .tuple(known, fc.dictionary(fc.string({ maxLength: 12 }), anyJson(), { maxKeys: 4 }))
      .map(([fields, extra]) => ({ ...extra, ...fields }));
  }
}

function merge(into: Schema, part: Schema): Schema {
  return {
    ...into,
    ...part,
    properties: { ...into.properties, ...part.properties },
    required: [...new Set([...(into.required ?? []), ...(part.required ?? [])])],
  };
}

/**
 * Strings within the schema's lengths (as `.length` counts them, like class-validator). The
 * document marks no `format: email` or `uri`; its examples say which strings are addresses, so
 * those get plausible addresses as well as noise, or the fuzzer would rarely get past
 * validation to the handlers.
 */
function stringOf(schema: Schema): fc.Arbitrary<string> {
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 300;
  const fits = (value: string) => value.length >= minLength && value.length <= maxLength;
  const upTo = Math.min(maxLength, minLength + 40);
  const choices: fc.Arbitrary<string>[] = [
    fc.string({ minLength, maxLength: upTo }),
    fc.string({ minLength, maxLength: upTo, unit: 'grapheme' }),
  ];
  if (schema.format !== undefined) {
    const formatted = FORMATS[schema.format]();
    if (schema.format === 'uuid') return formatted;
    choices.push(formatted);
  }
  if (typeof schema.example === 'string') {
    choices.push(fc.constant(schema.example));
    if (schema.example.includes('@')) choices.push(fc.emailAddress());
    if (/^https?:\/\//.test(schema.example)) choices.push(fc.webUrl({ validSchemes: ['https', 'http'] }));
  }
  return fc.oneof(...choices).filter(fits);
}

function numberOf(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1_000_000;
  const max = schema.maximum ?? 1_000_000;
  return fc.oneof(
    fc.constantFrom(min, max),
    fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
    fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
  );
}
