import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type DatabaseConfig, databaseConfig } from '../config/database.config.js';
import { DatabaseEndpoint } from './database-endpoint.js';
import { migrations } from './migrations.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { UnitOfWork } from './unit-of-work.js';

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
            extra: { max: config.poolSize },
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
