import { readJson } from '../helpers/http.js';
import { KNOWN_TYPES, type SuiteApp } from './tasks-suite-helpers.js';

interface Schema {
  $ref?: string;
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

const PAYLOAD_SCHEMAS: Record<string, { name: string; properties: string[] }> = {
  'auth.send-email-verification': { name: 'AccountMailPayload', properties: ['userId'] },
  'auth.send-password-reset': { name: 'AccountMailPayload', properties: ['userId'] },
  'tasks.echo': { name: 'EchoPayload', properties: ['message'] },
  'webhooks.deliver': { name: 'DeliverWebhookPayload', properties: ['url', 'body'] },
  'users.send-welcome-email': { name: 'SendWelcomeEmailPayload', properties: ['userId'] },
  'users.summarise': { name: 'SummariseUsersPayload', properties: ['pageSize', 'pauseMs'] },
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

    it('documents the POST /v1/tasks body as one schema per task type, chosen by type', () => {
      const body = operation('/v1/tasks', 'post').requestBody;
      expect(body?.required).toBe(true);
      const schema = body!.content['application/json'].schema;
      expect(schema.discriminator?.propertyName).toBe('type');
      const mapping = schema.discriminator?.mapping ?? {};
      expect(Object.keys(mapping).sort()).toEqual(KNOWN_TYPES);
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
      }
    });

    it('documents the payload schemas with their required fields', () => {
      expect(schemaAt('#/components/schemas/EchoPayload').required).toEqual(['message']);
      expect([...(schemaAt('#/components/schemas/DeliverWebhookPayload').required ?? [])].sort()).toEqual([
        'body',
        'url',
      ]);
    });

    it.each([
      ['/v1/tasks', 'post', ['202', '400', '409']],
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
      expect(names).toEqual(expect.arrayContaining(['status', 'type', 'limit', 'cursor']));
    });
  });
}
