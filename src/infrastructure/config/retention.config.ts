import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const retentionConfig = registerAs('retention', () => {
  const env = loadEnv();
  return {
    intervalMs: env.RETENTION_INTERVAL_MS,
    batchSize: env.RETENTION_BATCH_SIZE,
  };
});
export type RetentionConfig = ReturnType<typeof retentionConfig>;
