import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__testRedis?.stop();
  await globalThis.__testPostgres?.stop();
  if (globalThis.__testRunDir) await rm(globalThis.__testRunDir, { recursive: true, force: true });
}
