import { Module } from '@nestjs/common';
import { DatabaseEndpoint } from '../database/database-endpoint.js';
import { type DatabaseConfig, databaseConfig } from '../config/database.config.js';
import { type QueueConfig, queueConfig } from '../config/queue.config.js';
import { type QueueBackend, selectQueueBackend } from './queue-backend.js';

export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');

@Module({
  providers: [
    {
      provide: QUEUE_BACKEND,
      inject: [queueConfig.KEY, databaseConfig.KEY, DatabaseEndpoint],
      useFactory: (config: QueueConfig, database: DatabaseConfig, endpoint: DatabaseEndpoint): QueueBackend =>
        selectQueueBackend({
          redisUrl: config.redisUrl,
          databaseUrl: endpoint.url,
          connectTimeoutMs: database.connectTimeoutMs,
        }),
    },
  ],
  exports: [QUEUE_BACKEND],
})
export class QueueBackendModule {}
