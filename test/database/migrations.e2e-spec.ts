import { DataSource } from 'typeorm';
import { migrations } from '../../src/infrastructure/database/migrations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('schema migrations', () => {
  let t: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    dataSource = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('ran every migration on start', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    const applied = await dataSource.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id');
    expect(applied.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
  });

  it('agrees with the entities: generating a migration now would produce nothing', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('names tables and columns in snake_case', async () => {
    const columns = await dataSource.query<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    for (const { table_name, column_name } of columns) {
      expect(`${table_name}.${column_name}`).toMatch(/^[a-z0-9_]+\.[a-z0-9_]+$/);
    }
  });
});
