import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { featureNames } from '../../schematics/feature-module/names.js';

const run = promisify(execFile);

/** What the generator reads: the app module, the migration list and folder, and every module. */
const INPUTS = [
  'src/app.module.ts',
  'src/infrastructure/database/migrations.ts',
  'src/infrastructure/database/migrations',
  'src/modules',
];

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(path, entry))
    .filter((entry) => statSync(entry).isFile());
}

describe('featureNames', () => {
  it.each([
    'purchase-orders',
    'PurchaseOrder',
    'purchase order',
    'purchase_orders',
    'purchaseOrders',
    ' Purchase Orders ',
  ])('spells %p the same way in every form', (raw) => {
    expect(featureNames(raw)).toEqual({
      Entity: 'PurchaseOrder',
      Entities: 'PurchaseOrders',
      entity: 'purchaseOrder',
      entities: 'purchaseOrders',
      entityKebab: 'purchase-order',
      entitiesKebab: 'purchase-orders',
      table: 'purchase_orders',
      CODE: 'PURCHASE_ORDERS',
      ENTITY: 'PURCHASE_ORDER',
      label: 'purchase order',
      labels: 'purchase orders',
      Label: 'Purchase order',
      Labels: 'Purchase orders',
    });
  });

  it.each([
    ['category', 'category', 'categories'],
    ['people', 'person', 'people'],
    ['boxes', 'box', 'boxes'],
    ['AddressBookEntry', 'address-book-entry', 'address-book-entries'],
    ['HTTPRoute', 'http-route', 'http-routes'],
  ])('makes %p singular %p and plural %p', (raw, singular, plural) => {
    expect(featureNames(raw)).toMatchObject({ entityKebab: singular, entitiesKebab: plural });
  });

  it.each([
    ['', /Give the feature a name/],
    ['2fast', /not a valid name.*starting with a letter/],
    ['orders!', /not a valid name/],
    ['purchase 2orders', /every word must start with a letter/],
    ['news', /same singular and plural/],
    ['class', /reserved word/],
    ['delete', /reserved word/],
    ['promise', /class Promise/],
    ['principal', /class Principal/],
    ['clock', /class Clock/],
    ['config', /reserved: the application uses 'config'/],
    ['migration', /reserved: the application uses 'migrations'/],
    ['x'.repeat(41), /too long/],
  ])('refuses %p', (raw, message) => {
    expect(() => featureNames(raw)).toThrow(message);
  });
});

/**
 * The generator as users run it (`npm run generate:module`), in a scratch project holding
 * copies of the files it reads. A separate process: the schematics CLI and its ESM-only
 * dependencies load in plain Node, not in jest's module runtime.
 */
describe('npm run generate:module', () => {
  // Not purchase-orders: CI runs this suite again in a clone where that module was generated.
  const MODULE = 'src/modules/shipping-labels';
  let project: string;

  function createProject() {
    project = mkdtempSync(join(tmpdir(), 'generate-'));
    for (const input of INPUTS) cpSync(input, join(project, input), { recursive: true });
    cpSync('.prettierrc.json', join(project, '.prettierrc.json'));
    symlinkSync(resolve('node_modules'), join(project, 'node_modules'));
  }
  const removeProject = () => rmSync(project, { recursive: true, force: true });

  const generate = (name: string) =>
    run(
      process.execPath,
      [
        resolve('node_modules/@angular-devkit/schematics-cli/bin/schematics.js'),
        '@app/schematics:feature-module',
        name,
      ],
      { cwd: project },
    );
  const read = (path: string) => readFileSync(join(project, path), 'utf8');
  /** Every file of the scratch project with its content, `test/` included; not the linked node_modules. */
  const snapshot = () =>
    readdirSync(project)
      .filter((entry) => entry !== 'node_modules')
      .flatMap((entry) => filesUnder(join(project, entry)))
      .sort()
      .map((file) => [file, readFileSync(file, 'utf8')]);

  /** One generation, which the tests below inspect from different angles. */
  describe('for a new name', () => {
    beforeAll(async () => {
      createProject();
      await generate('shipping label');
    });
    afterAll(removeProject);

    it('creates the module, its migration and its e2e spec, and registers the module and the migration', () => {
      const created = filesUnder(join(project, MODULE)).map((file) => file.slice(join(project, MODULE).length + 1));
      expect(created.sort()).toEqual(
        [
          'shipping-labels.module.ts',
          'shipping-labels.contracts.ts',
          'domain/shipping-label.ts',
          'domain/shipping-label.spec.ts',
          'domain/shipping-label.errors.ts',
          'domain/shipping-label.repository.ts',
          'application/shipping-label-access.ts',
          ...['create', 'update', 'delete'].flatMap((verb) =>
            ['command.ts', 'handler.ts', 'handler.spec.ts'].map(
              (role) => `application/commands/${verb}-shipping-label/${verb}-shipping-label.${role}`,
            ),
          ),
          ...['get-shipping-label', 'list-shipping-labels'].flatMap((query) =>
            ['query.ts', 'handler.ts', 'handler.spec.ts'].map(
              (role) => `application/queries/${query}/${query}.${role}`,
            ),
          ),
          'infrastructure/shipping-label.orm-entity.ts',
          'infrastructure/shipping-label.mapper.ts',
          'infrastructure/typeorm-shipping-label.repository.ts',
          'infrastructure/in-memory-shipping-label.repository.ts',
          'infrastructure/in-memory-shipping-label.repository.spec.ts',
          'http/shipping-labels.controller.ts',
          'http/dto/shipping-label-fields.ts',
          'http/dto/create-shipping-label.request.dto.ts',
          'http/dto/update-shipping-label.request.dto.ts',
          'http/dto/list-shipping-labels.request.dto.ts',
          'http/dto/shipping-label.response.dto.ts',
        ].sort(),
      );
      expect(readdirSync(join(project, 'test/shipping-labels')).sort()).toEqual([
        'shipping-label-repository.contract.ts',
        'shipping-labels-api.e2e-spec.ts',
        'shipping-labels.access.ts',
        'typeorm-shipping-label.repository.e2e-spec.ts',
      ]);

      expect(read('src/app.module.ts')).toContain(
        "import { ShippingLabelsModule } from './modules/shipping-labels/shipping-labels.module.js';",
      );
      expect(read('src/app.module.ts')).toMatch(/imports: \[[^\]]*\n\s+ShippingLabelsModule,\n\s+\],/);

      const migrations = readdirSync(join(project, 'src/infrastructure/database/migrations'));
      const timestamps = migrations.map((file) => Number(file.split('-')[0]));
      const added = migrations.find((file) => file.endsWith('-CreateShippingLabels.ts'))!;
      const timestamp = Number(added.split('-')[0]);
      expect(timestamp).toBe(Math.max(...timestamps));
      expect(read(`src/infrastructure/database/migrations/${added}`)).toContain(
        `class CreateShippingLabels${timestamp} `,
      );
      expect(read('src/infrastructure/database/migrations.ts')).toMatch(
        new RegExp(
          `import \\{ CreateShippingLabels${timestamp} \\} from './migrations/${timestamp}-CreateShippingLabels.js';[\\s\\S]*CreateShippingLabels${timestamp},\\n\\];`,
        ),
      );
    });

    it('scopes the module to owners: the controller policy, the owner column and its index', () => {
      const controller = read(`${MODULE}/http/shipping-labels.controller.ts`);
      expect(controller).toMatch(/@OwnerOrAdmin\('shipping-label'\)\n@Controller\(/);
      // Every handler takes the principal; none is opened or narrowed by a decorator of its own.
      expect(controller.match(/@CurrentPrincipal\(\) principal: Principal/g)).toHaveLength(5);
      expect(controller).not.toMatch(/^\s*@(Public|Authenticated|RequireRole)\(/m);

      const [migration] = readdirSync(join(project, 'src/infrastructure/database/migrations'))
        .filter((file) => file.endsWith('-CreateShippingLabels.ts'))
        .map((file) => read(`src/infrastructure/database/migrations/${file}`));
      expect(migration).toContain('"owner_id" uuid NOT NULL');
      expect(migration).toContain(
        'CREATE INDEX "shipping_labels_owner_id_id_idx" ON "shipping_labels" ("owner_id", "id")',
      );
      expect(read(`${MODULE}/infrastructure/shipping-label.orm-entity.ts`)).toContain(
        "@Index('shipping_labels_owner_id_id_idx', ['ownerId', 'id'])",
      );
    });

    it('writes one access-matrix row per route of the controller', () => {
      const controller = read(`${MODULE}/http/shipping-labels.controller.ts`);
      const routes = [...controller.matchAll(/@(Get|Post|Patch|Delete)\((?:'([^']*)')?\)/g)]
        .map(([, method, path]) => `${method.toUpperCase()} /v1/shipping-labels${path ? `/${path}` : ''}`)
        .sort();
      const access = read('test/shipping-labels/shipping-labels.access.ts');
      const rows = [...access.matchAll(/route: `(\w+) \$\{BASE\}([^`]*)`/g)]
        .map(([, method, path]) => `${method} /v1/shipping-labels${path}`)
        .sort();

      expect(routes).toHaveLength(5);
      expect(rows).toEqual(routes);
    });

    it('writes code already formatted the way `npm run lint` checks it', async () => {
      const prettier = await import('prettier');
      const config = await prettier.resolveConfig('src/app.module.ts');

      const files = [
        ...filesUnder(join(project, MODULE)),
        ...filesUnder(join(project, 'test/shipping-labels')),
        join(project, 'src/app.module.ts'),
      ];
      const unformatted: string[] = [];
      for (const file of files)
        if (!(await prettier.check(readFileSync(file, 'utf8'), { ...config, filepath: file }))) unformatted.push(file);
      expect(unformatted).toEqual([]);
    });
  });

  describe('in a fresh project for each test', () => {
    beforeEach(createProject);
    afterEach(removeProject);

    it('is also reachable through nest generate, with the nest-cli.json of the project', async () => {
      cpSync('nest-cli.json', join(project, 'nest-cli.json'));

      await run(
        process.execPath,
        [
          resolve('node_modules/@nestjs/cli/bin/nest.js'),
          'generate',
          'feature-module',
          'SalesLead',
          '-c',
          '@app/schematics',
        ],
        { cwd: project },
      );

      expect(statSync(join(project, 'src/modules/sales-leads/sales-leads.module.ts')).isFile()).toBe(true);
      expect(read('src/app.module.ts')).toContain('SalesLeadsModule,');
    });

    it.each([
      ['users', "A module 'users' already exists"],
      ['user', "A module 'users' already exists"],
      ['Task', "A module 'tasks' already exists"],
      ['class', 'is a reserved word'],
      ['2fast', 'is not a valid name'],
    ])('refuses %p with a clear message, exit code 1 and nothing written', async (name, message) => {
      const before = snapshot();

      const failure = await generate(name).then(
        () => 'no failure',
        (error: { code: number; stderr: string }) => error,
      );

      expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining(message) });
      expect(snapshot()).toEqual(before);
    });

    it('refuses a name whose table another module already maps', async () => {
      const entity = join(project, 'src/modules/archive/infrastructure/old-order.orm-entity.ts');
      mkdirSync(dirname(entity), { recursive: true });
      writeFileSync(entity, "@Entity({ name: 'orders' })\nexport class OldOrderOrmEntity {}\n");

      await expect(generate('order')).rejects.toMatchObject({
        stderr: expect.stringContaining("table 'orders' is already mapped"),
      });
    });
  });
});
