import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { adminUsersApi, uniqueTag, USERS_TEST_ENV, type UserV1 } from './users-api.js';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  enum?: string[];
}

interface MediaType {
  schema: Schema;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType>; headers?: Record<string, unknown> }>;
  tags?: string[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const PROBLEM = 'application/problem+json';

const header = (op: Operation, name: string) =>
  op.parameters?.find((parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === name);

describe('users OpenAPI document (e2e)', () => {
  let t: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    t = await createTestApp({ env: USERS_TEST_ENV });
    const res = await fetch(`${t.url}/docs-json`);
    if (!res.ok) throw new Error(`GET /docs-json answered ${res.status}`);
    document = (await res.json()) as OpenApiDocument;
  });
  afterAll(() => t.close());

  /** Follows a `#/components/schemas/...` reference. */
  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) throw new Error('no schema');
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const resolved = document.components.schemas[name];
    if (!resolved) throw new Error(`dangling reference ${schema.$ref}`);
    return resolve(resolved);
  };
  const operation = (path: string, method: string): Operation => {
    const found = document.paths[path]?.[method];
    if (!found) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
    return found;
  };
  const jsonSchemaOf = (path: string, method: string, status: string) =>
    resolve(operation(path, method).responses[status]?.content?.['application/json']?.schema);

  it('lists the users paths, each with exactly its methods', () => {
    const methodsOf = (path: string) => Object.keys(document.paths[path] ?? {}).sort();
    expect(methodsOf('/v1/users')).toEqual(['get', 'post']);
    expect(methodsOf('/v1/users/{id}')).toEqual(['delete', 'get', 'patch']);
    expect(methodsOf('/v2/users')).toEqual(['get']);
    expect(methodsOf('/v1/users/{id}/role')).toEqual(['put']);
    expect(methodsOf('/v2/users/{id}')).toEqual(['get']);
    expect(Object.keys(document.paths).filter((path) => path.includes('users'))).toHaveLength(5);
  });

  it('documents POST /v1/users: body {email, name}, 201 with Location and ETag, 400 and 409 as problems', () => {
    const post = operation('/v1/users', 'post');
    expect(post.requestBody?.required).toBe(true);
    const body = resolve(post.requestBody?.content['application/json']?.schema);
    expect(Object.keys(body.properties ?? {}).sort()).toEqual(['email', 'name']);
    expect([...(body.required ?? [])].sort()).toEqual(['email', 'name']);
    expect(body.properties?.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 100 });
    expect(body.properties?.email).toMatchObject({ type: 'string', maxLength: 254 });

    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '409']));
    expect(Object.keys(post.responses['201'].headers ?? {}).sort()).toEqual(['ETag', 'Location']);
    expect(jsonSchemaOf('/v1/users', 'post', '201').properties).toHaveProperty('role');
    for (const status of ['400', '409']) {
      const content = post.responses[status].content ?? {};
      expect(Object.keys(content)).toEqual([PROBLEM]);
      expect(content[PROBLEM].schema.$ref).toBe('#/components/schemas/ProblemDetails');
    }
  });

  it('documents PATCH /v1/users/{id}: optional If-Match, optional fields, 200 with ETag, 400/404/409/412', () => {
    const patch = operation('/v1/users/{id}', 'patch');
    expect(header(patch, 'if-match')).toMatchObject({ required: false });
    expect(patch.parameters?.find((parameter) => parameter.in === 'path')).toMatchObject({
      name: 'id',
      required: true,
    });
    const body = resolve(patch.requestBody?.content['application/json']?.schema);
    expect(Object.keys(body.properties ?? {}).sort()).toEqual(['email', 'name']);
    expect(body.required ?? []).toEqual([]);
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409', '412']));
    expect(patch.responses['200'].headers).toHaveProperty('ETag');
    expect(Object.keys(patch.responses['412'].content ?? {})).toEqual([PROBLEM]);
  });

  it('documents DELETE /v1/users/{id}: optional If-Match, 204, 404 and 412', () => {
    const remove = operation('/v1/users/{id}', 'delete');
    expect(header(remove, 'if-match')).toMatchObject({ required: false });
    expect(Object.keys(remove.responses)).toEqual(expect.arrayContaining(['204', '404', '412']));
  });

  it('documents the list queries: limit 1..100 (default 20), cursor, email, q', () => {
    for (const path of ['/v1/users', '/v2/users']) {
      const parameters = operation(path, 'get').parameters ?? [];
      expect(parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name)).toEqual(
        expect.arrayContaining(['limit', 'cursor', 'email', 'q']),
      );
      expect(parameters.find((parameter) => parameter.name === 'limit')?.schema).toMatchObject({
        minimum: 1,
        maximum: 100,
        default: 20,
      });
      expect(parameters.filter((parameter) => parameter.required)).toEqual([]);
    }
  });

  it('documents the v1 and v2 representations as the API actually answers them', async () => {
    const { api } = await adminUsersApi(t);
    const user: UserV1 = await api.register(`${uniqueTag('doc')}@example.com`, 'Documented');

    const v1 = jsonSchemaOf('/v1/users/{id}', 'get', '200');
    expect(Object.keys(v1.properties ?? {})).toEqual(Object.keys(user));
    expect([...(v1.required ?? [])].sort()).toEqual(Object.keys(user).sort());
    expect(v1.properties?.role.enum).toContain(user.role);

    const v2Body = (await (await api.getV2(user.id)).json()) as Record<string, unknown>;
    const v2 = jsonSchemaOf('/v2/users/{id}', 'get', '200');
    expect(Object.keys(v2.properties ?? {})).toEqual(Object.keys(v2Body));
    expect(v2.properties).not.toHaveProperty('name');

    const page = jsonSchemaOf('/v1/users', 'get', '200');
    expect(Object.keys(page.properties ?? {}).sort()).toEqual(['items', 'nextCursor']);
    expect(resolve(page.properties?.items.items)).toBe(v1);
    const pageV2 = jsonSchemaOf('/v2/users', 'get', '200');
    expect(Object.keys(pageV2.properties ?? {}).sort()).toEqual(['_links', 'items']);
    expect(resolve(pageV2.properties?.items.items)).toBe(v2);
  });

  it('offers role in one request body only, the admin-only PUT /v1/users/{id}/role (and id in none)', () => {
    const bodies = Object.entries(document.paths)
      .filter(([path]) => path.includes('users'))
      .flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, op]) => op.requestBody)
          .map(([method, op]) => ({
            operation: `${method} ${path}`,
            fields: Object.keys(resolve(op.requestBody?.content['application/json']?.schema).properties ?? {}).sort(),
          })),
      );
    expect(bodies).toEqual([
      { operation: 'post /v1/users', fields: ['email', 'name'] },
      { operation: 'patch /v1/users/{id}', fields: ['email', 'name'] },
      { operation: 'put /v1/users/{id}/role', fields: ['role'] },
    ]);
    expect(operation('/v1/users/{id}/role', 'put')).toMatchObject({ 'x-access-policy': 'role:admin' });
  });
});
