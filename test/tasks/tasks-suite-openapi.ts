import { readJson } from '../helpers/http.js';
import { ADMIN_TYPES, type SuiteApp } from './tasks-suite-helpers.js';

interface Schema {
  $ref?: string;
  description?: string;
  'x-submitters'?: string;
  'x-outbound'?: boolean;
  type?: string;
  enum?: string[];
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
}

interface Operation {
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }>; headers?: Record<string, unknown> }>;
  parameters?: { name: string; in: string; required?: boolean }[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** The payload schema of each type, and some of its properties (webhooks.deliver's are the webhooks module's business). */
const PAYLOAD_SCHEMAS: Record<string, { name: string; properties: string[] }> = {
  'tasks.echo': { name: 'EchoPayload', properties: ['message'] },
  'test.flaky': { name: 'FlakyPayload', properties: ['note'] },
  'webhooks.deliver': { name: 'DeliverWebhookPayload', properties: [] },
  'users.summarise': { name: 'SummariseUsersPayload', properties: ['pageSize', 'pauseMs'] },
};

/** Who may submit each type through the API, and whether it needs a verified email. */
const SUBMITTERS: Record<string, { submitters: string; outbound: boolean; words: RegExp }> = {
  'tasks.echo': { submitters: 'users', outbound: false, words: /Submitted by: any signed-in user\./ },
  'test.flaky': {
    submitters: 'users',
    outbound: false,
    words: /Submitted by: any signed-in user\. maxAttempts: at most 5\./,
  },
  'webhooks.deliver': { submitters: 'users', outbound: true, words: /any signed-in user; .*verified/ },
  'users.summarise': { submitters: 'admins', outbound: false, words: /Submitted by: admins only\./ },
};

/** GET /docs-json: the tasks routes as clients see them. */
export function openApiTests(s: SuiteApp): void {
  describe('OpenAPI document of the tasks API', () => {
    let document: OpenApiDocument;
    beforeAll(async () => {
      document = await readJson<OpenApiDocument>(await fetch(`${s.t.url}/docs-json`), 200);
    });

    const schemaAt = (ref: string): Schema => {
      const found = document.components.schemas[ref.replace('#/components/schemas/', '')];
      if (!found) throw new Error(`dangling reference ${ref}`);
      return found;
    };
    const operation = (path: string, method: string): Operation => {
      const found = document.paths[path]?.[method];
      if (!found) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
      return found;
    };

    it('documents the POST /v1/tasks body as one schema per type a caller may submit, chosen by type', () => {
      const body = operation('/v1/tasks', 'post').requestBody;
      expect(body?.required).toBe(true);
      const schema = body!.content['application/json'].schema;
      expect(schema.discriminator?.propertyName).toBe('type');
      const mapping = schema.discriminator?.mapping ?? {};
      // The application's own types (emails) are not offered: no caller may submit them.
      expect(Object.keys(mapping).sort()).toEqual(ADMIN_TYPES);
      expect((schema.oneOf ?? []).map((option) => option.$ref).sort()).toEqual(Object.values(mapping).sort());

      for (const [type, ref] of Object.entries(mapping)) {
        const parts = schemaAt(ref).allOf ?? [];
        const envelope = parts.find((part) => part.$ref)!;
        expect(Object.keys(schemaAt(envelope.$ref!).properties ?? {})).toEqual(
          expect.arrayContaining(['type', 'payload', 'delayMs', 'maxAttempts']),
        );
        const own = parts.find((part) => part.properties)!;
        expect({ type, enum: own.properties?.type.enum }).toEqual({ type, enum: [type] });
        const payloadRef = own.properties?.payload.$ref ?? '';
        const expected = PAYLOAD_SCHEMAS[type];
        expect({ type, payloadRef }).toEqual({ type, payloadRef: `#/components/schemas/${expected.name}` });
        expect(Object.keys(schemaAt(payloadRef).properties ?? {})).toEqual(expect.arrayContaining(expected.properties));
        const who = SUBMITTERS[type];
        expect({ type, submitters: schemaAt(ref)['x-submitters'], outbound: schemaAt(ref)['x-outbound'] }).toEqual({
          type,
          submitters: who.submitters,
          outbound: who.outbound,
        });
        expect(schemaAt(ref).description).toMatch(who.words);
      }
    });

    it('documents the payload schemas with their required fields', () => {
      expect(schemaAt('#/components/schemas/EchoPayload').required).toEqual(['message']);
      expect(schemaAt('#/components/schemas/FlakyPayload').required ?? []).toEqual([]);
    });

    it.each([
      ['/v1/tasks', 'post', ['202', '400', '403', '409']],
      ['/v1/tasks', 'get', ['200', '400']],
      ['/v1/tasks/{id}', 'get', ['200', '400', '404']],
      ['/v1/tasks/{id}/cancel', 'post', ['200', '202', '404', '409']],
    ])('documents %s %s with its responses', (path, method, statuses) => {
      const documented = operation(path, method);
      expect(Object.keys(documented.responses)).toEqual(expect.arrayContaining(statuses));
      for (const status of statuses.filter((code) => code >= '400'))
        expect(Object.keys(documented.responses[status].content ?? {})).toEqual(['application/problem+json']);
      const pathParameters = (documented.parameters ?? []).filter((parameter) => parameter.in === 'path');
      expect(pathParameters.map((parameter) => parameter.name)).toEqual(path.includes('{id}') ? ['id'] : []);
    });

    it('documents the Location header of a submission and the optional Idempotency-Key', () => {
      const submit = operation('/v1/tasks', 'post');
      expect(submit.responses['202'].headers).toHaveProperty('Location');
      expect(submit.parameters?.find((parameter) => parameter.name === 'Idempotency-Key')).toMatchObject({
        in: 'header',
        required: false,
      });
    });

    it('documents the list filters', () => {
      const names = (operation('/v1/tasks', 'get').parameters ?? []).map((parameter) => parameter.name);
      expect(names).toEqual(expect.arrayContaining(['status', 'type', 'limit', 'cursor', 'ownerId']));
    });
  });
}
