import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__testRedis?.stop();
  const postgres = globalThis.__testPostgres;
  if (postgres) {
    await postgres.stop();
    await rm(postgres.dataDir, { recursive: true, force: true });
  }
}
