import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from './app.config.js';
import { authConfig } from './auth.config.js';
import { databaseConfig } from './database.config.js';
import { parseEnv } from './env.schema.js';
import { httpConfig } from './http.config.js';
import { loggingConfig } from './logging.config.js';
import { mailConfig } from './mail.config.js';
import { outboxConfig } from './outbox.config.js';
import { queueConfig } from './queue.config.js';
import { resilienceConfig } from './resilience.config.js';
import { retentionConfig } from './retention.config.js';
import { tasksConfig } from './tasks.config.js';
import { webhooksConfig } from './webhooks.config.js';

/**
 * Validated, namespaced settings. Inject one namespace where it is needed:
 * `@Inject(httpConfig.KEY) http: HttpConfig`.
 */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      validate: parseEnv,
      load: [
        appConfig,
        httpConfig,
        databaseConfig,
        queueConfig,
        loggingConfig,
        tasksConfig,
        resilienceConfig,
        mailConfig,
        webhooksConfig,
        authConfig,
        retentionConfig,
        outboxConfig,
      ],
    }),
  ],
})
export class AppConfigModule {}
