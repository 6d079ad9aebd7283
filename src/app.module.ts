import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AppConfigModule } from './infrastructure/config/app-config.module.js';
import { DatabaseModule } from './infrastructure/database/database.module.js';
import type { DatabaseEndpoint } from './infrastructure/database/database-endpoint.js';
import { ThrottlingModule } from './infrastructure/http/throttling/throttling.module.js';
import { LoggingModule } from './infrastructure/logging/logging.module.js';
import { QueueModule } from './infrastructure/queue/queue.module.js';
import { RedisModule } from './infrastructure/redis/redis.module.js';
import { MailModule } from './infrastructure/mail/mail.module.js';
import { OutboxDrain } from './infrastructure/outbox/outbox-drain.js';
import { OutboxModule } from './infrastructure/outbox/outbox.module.js';
import { ResilienceModule } from './infrastructure/resilience/resilience.module.js';
import { RetentionModule } from './infrastructure/retention/retention.module.js';
import { WiringModule } from './infrastructure/wiring/wiring.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { TaskHandler } from './modules/tasks/tasks.contracts.js';
import { TasksModule } from './modules/tasks/tasks.module.js';
import { UsersModule } from './modules/users/users.module.js';
import { WebhooksModule } from './modules/webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  static forRoot(options: { database: DatabaseEndpoint }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule,
        LoggingModule,
        DatabaseModule.forRoot(options.database),
        RedisModule,
        QueueModule,
        CqrsModule.forRoot(),
        EventEmitterModule.forRoot({ wildcard: false }),
        ThrottlingModule,
        ResilienceModule,
        RetentionModule,
        OutboxModule,
        MailModule,
        WiringModule.forRoot({ decorators: { taskTypes: TaskHandler } }),
        HealthModule.forRoot(),
        AuthModule,
        TasksModule,
        UsersModule,
        WebhooksModule,
      ],
      providers: [OutboxDrain],
    };
  }
}
