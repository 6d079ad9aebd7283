import { DataSource } from 'typeorm';
import { loadEnv } from '../config/load-env.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { migrations } from './migrations.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/**
 * Data source for the TypeORM CLI (`npm run migration:*`), on the compiled code in `dist/`.
 * Without DATABASE_URL it starts the embedded development server, as the app does, and stops
 * it when the command exits.
 */
async function createCliDataSource(): Promise<DataSource> {
  const env = loadEnv();
  let url = env.DATABASE_URL;
  if (!url) {
    const server = await EmbeddedPostgres.start({
      dir: env.EMBEDDED_DB_DIR,
      port: env.EMBEDDED_DB_PORT,
      database: 'app',
    });
    process.once('exit', () => server.stopSync());
    url = server.url;
  }
  return new DataSource({
    type: 'postgres',
    url,
    entities: [`${import.meta.dirname}/../../modules/**/*.orm-entity.js`],
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
  });
}

export default await createCliDataSource();
