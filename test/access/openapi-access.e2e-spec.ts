import { WiringExplorer } from '../../src/infrastructure/wiring/wiring.explorer.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

interface Operation {
  'x-access-policy'?: string;
  description?: string;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

const PROBLEM = 'application/problem+json';

describe('OpenAPI: who may call each operation (e2e)', () => {
  let t: TestApp;
  let operations: Map<string, Operation>;

  beforeAll(async () => {
    t = await createTestApp();
    const document = (await (await fetch(`${t.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = new Map(
      Object.entries(document.paths).flatMap(([path, byMethod]) =>
        Object.entries(byMethod).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as const),
      ),
    );
  });
  afterAll(() => t?.close());

  it("states every route's policy exactly as the guard reads it, and documents the answers it gives", () => {
    const routes = t.app.get(WiringExplorer).routes();
    expect(routes.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const { method, path, access } of routes) {
      const key = `${method} ${path.replace(/:(\w+)/g, '{$1}')}`;
      const operation = operations.get(key);
      if (!operation) {
        problems.push(`${key}: not in the document`);
        continue;
      }
      if (operation['x-access-policy'] !== access)
        problems.push(`${key}: x-access-policy ${operation['x-access-policy']}, the route has ${access}`);
      const documented = (status: string) => Boolean(operation.responses[status]?.content?.[PROBLEM]);
      if (access !== 'public' && !documented('401')) problems.push(`${key}: no 401 problem documented`);
      if (access?.startsWith('role:') && !documented('403')) problems.push(`${key}: no 403 problem documented`);
      if (access?.startsWith('owner:') && !documented('404')) problems.push(`${key}: no 404 problem documented`);
      if (access !== 'public' && !operation.description?.startsWith('**Access:**'))
        problems.push(`${key}: the description does not open with who may call it`);
    }
    expect(problems).toEqual([]);
  });

  it('names the role an admin-only operation needs', () => {
    expect(operations.get('GET /v1/users')).toMatchObject({
      'x-access-policy': 'role:admin',
      description: expect.stringMatching(/^\*\*Access:\*\* role admin\./),
    });
    expect(operations.get('GET /v1/tasks/{id}')?.description).toMatch(
      /^\*\*Access:\*\* the task's owner, or an admin\./,
    );
  });
});
