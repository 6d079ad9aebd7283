import type { EmbeddedPostgres } from '../../../src/infrastructure/database/embedded-postgres';
import type { TestRedis } from './test-redis';

declare global {
  var __testPostgres: EmbeddedPostgres | undefined;
  var __testRedis: TestRedis | undefined;
  var __testRunDir: string | undefined;
}
