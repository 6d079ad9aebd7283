import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type DatabaseConfig, databaseConfig } from '../config/database.config.js';
import { DatabaseEndpoint } from './database-endpoint.js';
import { migrations } from './migrations.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { UnitOfWork } from './unit-of-work.js';

/**
 * node-postgres pool options: every call has a deadline. `connectionTimeoutMillis` bounds the
 * wait for a pooled connection (connecting included), `statement_timeout` makes PostgreSQL
 * cancel a statement that runs too long (SQLSTATE 57014), and `query_timeout`, a little
 * longer, gives up on a server that no longer answers at all. Keep-alive finds dead sockets.
 * A call past a deadline fails with an error the problem filter answers as 503.
 */
export function poolOptions(config: DatabaseConfig) {
  return {
    max: config.poolSize,
    connectionTimeoutMillis: config.connectTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    query_timeout: config.statementTimeoutMs + QUERY_TIMEOUT_SLACK_MS,
    keepAlive: true,
  };
}

/** How much longer than `statement_timeout` the client waits before deciding the server is gone. */
const QUERY_TIMEOUT_SLACK_MS = 2000;

/** TypeORM on the resolved PostgreSQL endpoint; schema only through migrations. */
@Module({})
export class DatabaseModule {
  static forRoot(endpoint: DatabaseEndpoint): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [databaseConfig.KEY],
          useFactory: (config: DatabaseConfig) => ({
            type: 'postgres',
            url: endpoint.url,
            autoLoadEntities: true,
            synchronize: false,
            migrations,
            migrationsRun: config.migrationsRun,
            migrationsTransactionMode: 'each',
            namingStrategy: new SnakeNamingStrategy(),
            extra: poolOptions(config),
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
      ],
      providers: [{ provide: DatabaseEndpoint, useValue: endpoint }, UnitOfWork],
      exports: [DatabaseEndpoint, UnitOfWork],
    };
  }
}
