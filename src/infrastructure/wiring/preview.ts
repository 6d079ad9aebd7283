import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../app.module.js';
import { DatabaseEndpoint } from '../database/database-endpoint.js';

/** Preview mode builds no provider, so this address is never dialled. */
const UNUSED_DATABASE = new DatabaseEndpoint('postgres://wiring-preview.invalid/none', 'external');

/**
 * The application's DI container in Nest's preview mode: every module scanned, with its
 * providers, controllers and their metadata, and nothing built or started, so no database,
 * Redis or network is needed. What `npm run wiring` reports on.
 */
export function previewApplication(): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(AppModule.forRoot({ database: UNUSED_DATABASE }), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
}
