import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const outboxConfig = registerAs('outbox', () => {
  const env = loadEnv();
  return {
    pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
    batchSize: env.OUTBOX_BATCH_SIZE,
    concurrency: env.OUTBOX_CONCURRENCY,
    listenerTimeoutMs: env.OUTBOX_LISTENER_TIMEOUT_MS,
    retryMaxDelayMs: env.OUTBOX_RETRY_MAX_DELAY_MS,
    retentionHours: env.OUTBOX_RETENTION_HOURS,
  };
});
export type OutboxConfig = ReturnType<typeof outboxConfig>;
